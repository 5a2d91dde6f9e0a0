package org.openstack.glanceimport.api.probes;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Overrides of the glance-api pods' probe timings (and the TLS proxy's, which probe the same Glance). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Probes {

    @JsonPropertyDescription("Until it first passes, the other probes wait; it restarts a container that never starts. "
            + "Default: every 5 s, 5 s timeout, 60 failures (5 minutes to start).")
    public ProbeTimings startup;

    @JsonPropertyDescription("Takes a pod out of the Service while it fails. Default: every 10 s, 5 s timeout, 3 failures.")
    public ProbeTimings readiness;

    @JsonPropertyDescription("Restarts the container when it fails; a restart ends the uploads and imports it runs. "
            + "Default: every 20 s, 5 s timeout, 3 failures (30 s initial delay for glance-api behind the TLS proxy).")
    public ProbeTimings liveness;
}
