package org.openstack.glanceimport.api.exposure;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * How the GlanceAPI's Service (the one clients use, not the headless one of the pods' names) is published. Unset, the
 * Service is a plain ClusterIP one, exactly as before the field existed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.loadBalancerIP) || self.type == 'LoadBalancer'",
        message = "loadBalancerIP is only for type LoadBalancer")
@ValidationRule(value = "!has(self.loadBalancerClass) || self.type == 'LoadBalancer'",
        message = "loadBalancerClass is only for type LoadBalancer")
@ValidationRule(value = "!has(self.externalTrafficPolicy) || self.type == 'LoadBalancer' || self.type == 'NodePort'",
        message = "externalTrafficPolicy is only for type LoadBalancer or NodePort")
@ValidationRule(value = "!has(self.nodePort) || self.type == 'LoadBalancer' || self.type == 'NodePort'",
        message = "nodePort is only for type NodePort or LoadBalancer")
public class ServiceOverride {

    /**
     * The label keys the operator sets on the Service: its selectors and managed-by depend on them, so a user's label
     * may not replace one. Names.labels makes the same keys (ServiceOverrideTest keeps the two equal).
     */
    public static final String OPERATOR_LABELS_RULE = "self.all(k, !(k in ['app.kubernetes.io/name', 'app.kubernetes.io/instance', "
            + "'app.kubernetes.io/component', 'app.kubernetes.io/part-of', 'app.kubernetes.io/managed-by', "
            + "'import.glance.openstack.org/glanceapi']))";

    @JsonPropertyDescription("The Service's type: ClusterIP (in-cluster only), LoadBalancer (an address from the cluster's "
            + "load balancer, e.g. MetalLB; see status.endpoints.public) or NodePort. Default ClusterIP.")
    @Default("ClusterIP")
    public ServiceType type = ServiceType.ClusterIP;

    @JsonPropertyDescription("Annotations of the Service, e.g. metallb.universe.tf/address-pool or "
            + "metallb.universe.tf/loadBalancerIPs.")
    @Size(max = 64)
    public Map<String, String> annotations;

    @JsonPropertyDescription("Labels added to the Service (e.g. for a load balancer's selector). The operator's own keys "
            + "(app.kubernetes.io/name, instance, component, part-of, managed-by and import.glance.openstack.org/glanceapi) "
            + "are refused.")
    @Size(max = 64)
    @ValidationRule(value = OPERATOR_LABELS_RULE, message = "labels may not set the operator's own keys app.kubernetes.io/name, "
            + "app.kubernetes.io/instance, app.kubernetes.io/component, app.kubernetes.io/part-of, app.kubernetes.io/managed-by, "
            + "import.glance.openstack.org/glanceapi")
    public Map<String, String> labels;

    @JsonPropertyDescription("Address the load balancer should give the Service (spec.loadBalancerIP; deprecated in "
            + "Kubernetes, prefer the load balancer's annotation, e.g. metallb.universe.tf/loadBalancerIPs). Type LoadBalancer only.")
    @Size(max = 45)
    @Pattern("^[0-9a-fA-F.:]+$")
    public String loadBalancerIP;

    @JsonPropertyDescription("The load balancer implementation that serves the Service (spec.loadBalancerClass). Type "
            + "LoadBalancer only.")
    @Size(max = 253)
    @Pattern("^[^\\s]+$")
    public String loadBalancerClass;

    @JsonPropertyDescription("Cluster (default of Kubernetes) or Local: keep the client's source address; only nodes "
            + "running a pod answer. Type LoadBalancer or NodePort only.")
    public ExternalTrafficPolicy externalTrafficPolicy;

    @JsonPropertyDescription("IP families of the Service (IPv4, IPv6), at most 2. Default: the cluster's.")
    @Size(max = 2)
    public List<IpFamily> ipFamilies;

    @JsonPropertyDescription("SingleStack, PreferDualStack or RequireDualStack. Default: the cluster's (SingleStack).")
    public IpFamilyPolicy ipFamilyPolicy;

    @JsonPropertyDescription("Node port of the API port (30000-32767 on a default cluster). Type NodePort or LoadBalancer "
            + "only. Default: one the API server picks.")
    @Min(1)
    @Max(65535)
    public Integer nodePort;

    @JsonIgnore
    public ServiceType typeOrDefault() {
        return type == null ? ServiceType.ClusterIP : type;
    }
}
