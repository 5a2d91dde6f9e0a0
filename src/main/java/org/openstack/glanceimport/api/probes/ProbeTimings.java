package org.openstack.glanceimport.api.probes;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The timings of one probe; each one left unset keeps the operator's value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProbeTimings {

    @JsonPropertyDescription("Seconds after the container starts before the first probe.")
    @Min(0)
    @Max(3600)
    public Integer initialDelaySeconds;

    @JsonPropertyDescription("Seconds between probes.")
    @Min(1)
    @Max(3600)
    public Integer periodSeconds;

    @JsonPropertyDescription("Seconds a probe may take before it counts as failed.")
    @Min(1)
    @Max(3600)
    public Integer timeoutSeconds;

    @JsonPropertyDescription("Failures in a row before the probe gives up (restart for liveness and startup, not ready for "
            + "readiness).")
    @Min(1)
    @Max(1000)
    public Integer failureThreshold;

    public ProbeTimings() {
    }

    public ProbeTimings(Integer initialDelaySeconds, Integer periodSeconds, Integer timeoutSeconds, Integer failureThreshold) {
        this.initialDelaySeconds = initialDelaySeconds;
        this.periodSeconds = periodSeconds;
        this.timeoutSeconds = timeoutSeconds;
        this.failureThreshold = failureThreshold;
    }
}
