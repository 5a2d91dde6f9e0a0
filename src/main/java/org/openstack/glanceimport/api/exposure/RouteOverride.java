package org.openstack.glanceimport.api.exposure;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** An OpenShift Route (route.openshift.io/v1) to the GlanceAPI's Service, on clusters that serve Routes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RouteOverride {

    @JsonPropertyDescription("Host name of the Route. Default: the one the router generates "
            + "(<name>-<namespace>.<apps domain>); status.endpoints.public says which it admitted. Setting it needs the "
            + "routes/custom-host permission, which the operator has.")
    @Size(max = 253)
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    public String host;

    @JsonPropertyDescription("Where TLS ends: edge (at the router, then plain http to the pods: only without spec.tls), "
            + "passthrough (at the pods: needs spec.tls) or reencrypt (at the router, then again to the pods, verified with "
            + "the CA of spec.tls: needs spec.tls). Default edge.")
    @Default("edge")
    public RouteTermination termination = RouteTermination.edge;

    @JsonPropertyDescription("Annotations of the Route, e.g. haproxy.router.openshift.io/timeout: 10m for long uploads.")
    @Size(max = 64)
    public Map<String, String> annotations;

    @JsonIgnore
    public RouteTermination terminationOrDefault() {
        return termination == null ? RouteTermination.edge : termination;
    }
}
