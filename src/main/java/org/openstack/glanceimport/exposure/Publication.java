package org.openstack.glanceimport.exposure;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.openshift.api.model.Route;
import io.fabric8.openshift.api.model.RouteIngress;
import io.fabric8.openshift.api.model.RouteIngressCondition;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.exposure.Endpoints;
import org.openstack.glanceimport.naming.Names;

/**
 * How the image API is published, as the informer caches show it after the workflow ran: the Service (its load
 * balancer's address is written by a cloud controller or MetalLB) and, with spec.route, the Route (its host is admitted
 * by a router). Both write their status on their own, and that wakes a reconcile: nothing is polled.
 *
 * @param service the GlanceAPI's Service, empty before it exists
 * @param route the Route of spec.route, empty without one
 * @param routesServed whether the cluster serves route.openshift.io/v1
 */
public record Publication(Optional<Service> service, Optional<Route> route, boolean routesServed) {

    /** With spec.route: whether the Route serves, or why not; the reason is the condition's and an Event's. */
    public record RouteState(boolean available, String reason, String message) {
    }

    public static final String ROUTE_UNAVAILABLE = "RouteUnavailable";

    public Endpoints endpoints(GlanceAPI api) {
        String internal = Names.endpoint(api);
        Optional<String> host = admittedHost();
        if (host.isPresent()) {
            return new Endpoints(internal, Names.routeUrl(host.get()), null);
        }
        Optional<String> address = loadBalancerAddress();
        if (address.isPresent()) {
            return new Endpoints(internal, Names.loadBalancerUrl(api, address.get()), null);
        }
        return new Endpoints(internal, null, whyNoPublicUrl(api));
    }

    /** Empty without spec.route. */
    public Optional<RouteState> routeState(GlanceAPI api) {
        if (api.getSpec().route == null) {
            return Optional.empty();
        }
        String name = Names.route(api);
        if (!routesServed) {
            return Optional.of(new RouteState(false, ROUTE_UNAVAILABLE, "spec.route is set, but the cluster has no "
                    + "route.openshift.io API (Routes are OpenShift's): no Route is made; publish the API with spec.service "
                    + "type LoadBalancer instead"));
        }
        if (route.isEmpty()) {
            return Optional.of(new RouteState(false, "Creating", "Route " + name + " is being created"));
        }
        Optional<String> host = admittedHost();
        if (host.isPresent()) {
            return Optional.of(new RouteState(true, "Admitted", "Route " + name + " admitted at host " + host.get()));
        }
        return ingressConditions().filter(c -> "False".equals(c.getStatus())).findFirst()
                .map(c -> new RouteState(false, c.getReason() != null ? c.getReason() : "Rejected", "the router did not admit "
                        + "Route " + name + (c.getMessage() != null ? ": " + c.getMessage() : "")))
                .or(() -> Optional.of(new RouteState(false, "WaitingForAdmission", "Route " + name + " waits for a router to admit it")));
    }

    private Optional<String> admittedHost() {
        return ingresses().filter(i -> i.getHost() != null && conditions(i).stream()
                .anyMatch(c -> "Admitted".equals(c.getType()) && "True".equals(c.getStatus())))
                .map(RouteIngress::getHost).findFirst();
    }

    private Stream<RouteIngress> ingresses() {
        return route.filter(r -> r.getStatus() != null && r.getStatus().getIngress() != null).stream()
                .flatMap(r -> r.getStatus().getIngress().stream());
    }

    private Stream<RouteIngressCondition> ingressConditions() {
        return ingresses().flatMap(i -> conditions(i).stream()).filter(c -> "Admitted".equals(c.getType()));
    }

    private static List<RouteIngressCondition> conditions(RouteIngress ingress) {
        return ingress.getConditions() == null ? List.of() : ingress.getConditions();
    }

    /** The first address the load balancer assigned, IP or host name; empty while it has none (no wrong answer). */
    private Optional<String> loadBalancerAddress() {
        return service.filter(s -> "LoadBalancer".equals(s.getSpec().getType()) && s.getStatus() != null
                && s.getStatus().getLoadBalancer() != null && s.getStatus().getLoadBalancer().getIngress() != null)
                .flatMap(s -> s.getStatus().getLoadBalancer().getIngress().stream().findFirst())
                .map(i -> i.getIp() != null && !i.getIp().isBlank() ? i.getIp() : i.getHostname())
                .filter(a -> a != null && !a.isBlank());
    }

    private String whyNoPublicUrl(GlanceAPI api) {
        String type = service.map(s -> s.getSpec().getType()).orElse(null);
        if (api.getSpec().route != null && routesServed) {
            return "Route " + Names.route(api) + " is not admitted yet";
        }
        if ("LoadBalancer".equals(type)) {
            return "Service " + Names.service(api) + " waits for the load balancer to assign it an address";
        }
        if ("NodePort".equals(type)) {
            Integer nodePort = service.get().getSpec().getPorts().get(0).getNodePort();
            return "Service " + Names.service(api) + " is of type NodePort: clients reach any node's address at port "
                    + (nodePort != null ? nodePort : "(not allocated yet)") + "; which node address is public is not known here";
        }
        return "the API is published in the cluster only: set spec.service.type LoadBalancer, or spec.route on OpenShift";
    }
}
