package org.openstack.glanceimport.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A roll that waits before replacing a pod without the import drain (one an earlier release made) while it works. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RollHold {

    @JsonPropertyDescription("The pod the roll waits for: it has no preStop import drain, so replacing it now would cut "
            + "the imports or uploads it runs.")
    public String pod;

    @JsonPropertyDescription("Since when the roll waits for this pod (RFC 3339).")
    public String since;

    @JsonPropertyDescription("When the roll replaces the pod even if it still works: since + spec.importDrainSeconds (RFC 3339).")
    public String until;

    public RollHold() {
    }

    public RollHold(String pod, String since, String until) {
        this.pod = pod;
        this.since = since;
        this.until = until;
    }
}
