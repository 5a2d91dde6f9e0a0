package org.openstack.glanceimport.api;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class StagingClaimStatus {

    @JsonPropertyDescription("Pod that mounts the claim.")
    public String pod;

    @JsonPropertyDescription("PersistentVolumeClaim name.")
    public String claim;

    @JsonPropertyDescription("Claim phase: Pending, Bound or Lost.")
    public String phase;

    @JsonPropertyDescription("Capacity the claim has (or requests while pending).")
    public String capacity;

    @JsonPropertyDescription("The pod's worker_self_reference_url, where other pods proxy imports of images staged here.")
    public String url;

    public StagingClaimStatus() {
    }

    public StagingClaimStatus(String pod, String claim, String phase, String capacity, String url) {
        this.pod = pod;
        this.claim = claim;
        this.phase = phase;
        this.capacity = capacity;
        this.url = url;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StagingClaimStatus s && Objects.equals(pod, s.pod) && Objects.equals(claim, s.claim)
                && Objects.equals(phase, s.phase) && Objects.equals(capacity, s.capacity)
                && Objects.equals(url, s.url);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pod, claim, phase, capacity, url);
    }
}
