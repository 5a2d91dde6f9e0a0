package org.openstack.glanceimport.api.imagecache;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageCachePodStatus {

    @JsonPropertyDescription("Pod the cache belongs to.")
    public String pod;

    @JsonPropertyDescription("Its cache claim.")
    public String claim;

    @JsonPropertyDescription("Phase of the claim: Pending, Bound or Lost.")
    public String phase;

    @JsonPropertyDescription("CronJob pruning and cleaning it.")
    public String cronJob;

    @JsonPropertyDescription("When that CronJob last completed a run.")
    public String lastSuccessfulTime;
}
