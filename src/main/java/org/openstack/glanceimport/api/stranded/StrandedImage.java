package org.openstack.glanceimport.api.stranded;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** An image whose staged data was on a pod or claim that no longer exists: it can never finish importing. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StrandedImage {

    @JsonPropertyDescription("Glance image id.")
    public String imageId;

    @JsonPropertyDescription("Glance image status: uploading (staged, import never asked) or importing.")
    public String status;

    @JsonPropertyDescription("The os_glance_stage_host the image was staged on.")
    public String stageHost;

    @JsonPropertyDescription("Why it can never finish: PodRemoved or ClaimGone (staged there), ImportInterrupted (its import was cut short).")
    public String reason;

    @JsonPropertyDescription("When the operator first found it stranded (RFC 3339).")
    public String since;

    public StrandedImage() {
    }

    public StrandedImage(String imageId, String status, String stageHost, String reason, String since) {
        this.imageId = imageId;
        this.status = status;
        this.stageHost = stageHost;
        this.reason = reason;
        this.since = since;
    }
}
