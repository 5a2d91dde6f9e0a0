package org.openstack.glanceimport.exposure;

import java.util.Optional;

import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.openshift.api.model.Route;
import io.fabric8.openshift.api.model.RouteBuilder;
import io.fabric8.openshift.api.model.RouteIngressBuilder;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.Tls;
import org.openstack.glanceimport.api.exposure.Endpoints;
import org.openstack.glanceimport.api.exposure.RouteOverride;

/** status.endpoints and the RouteAvailable state from what a load balancer and a router wrote, without a server. */
class PublicationTest {

    private static GlanceAPI api(boolean tls, boolean route) {
        GlanceAPI api = new GlanceAPI();
        api.setMetadata(new ObjectMetaBuilder().withName("glance").withNamespace("openstack").build());
        api.setSpec(new GlanceAPISpec());
        if (tls) {
            api.getSpec().tls = new Tls();
        }
        if (route) {
            api.getSpec().route = new RouteOverride();
        }
        return api;
    }

    private static Service loadBalancer(String ip, String hostname) {
        ServiceBuilder b = new ServiceBuilder().withNewSpec().withType("LoadBalancer").addNewPort().withPort(9292).endPort().endSpec();
        if (ip != null || hostname != null) {
            b.withNewStatus().withNewLoadBalancer().withIngress(new LoadBalancerIngressBuilder().withIp(ip).withHostname(hostname)
                    .build()).endLoadBalancer().endStatus();
        }
        return b.build();
    }

    private static Route route(String host, String admitted, String reason) {
        RouteBuilder b = new RouteBuilder().withNewSpec().endSpec();
        if (host != null) {
            b.withNewStatus().withIngress(new RouteIngressBuilder().withHost(host).addNewCondition().withType("Admitted")
                    .withStatus(admitted).withReason(reason).withMessage(reason == null ? null : "taken").endCondition().build()).endStatus();
        }
        return b.build();
    }

    @Test
    void loadBalancerAddresses() {
        assertEquals("https://192.0.2.10:9292", new Publication(Optional.of(loadBalancer("192.0.2.10", null)), Optional.empty(), false)
                .endpoints(api(true, false)).publicUrl);
        assertEquals("http://[2001:db8::10]:9292", new Publication(Optional.of(loadBalancer("2001:db8::10", null)), Optional.empty(),
                false).endpoints(api(false, false)).publicUrl);
        assertEquals("http://lb.example.com:9292", new Publication(Optional.of(loadBalancer(null, "lb.example.com")), Optional.empty(),
                false).endpoints(api(false, false)).publicUrl);
        Endpoints waiting = new Publication(Optional.of(loadBalancer(null, null)), Optional.empty(), false).endpoints(api(false, false));
        assertNull(waiting.publicUrl);
        assertEquals("http://glance.openstack.svc:9292", waiting.internal);
        assertTrue(waiting.message.contains("waits for the load balancer"), waiting.message);
    }

    @Test
    void anAdmittedRouteWinsOverTheLoadBalancer() {
        Publication both = new Publication(Optional.of(loadBalancer("192.0.2.10", null)),
                Optional.of(route("glance.apps.example.com", "True", null)), true);
        assertEquals("https://glance.apps.example.com", both.endpoints(api(false, true)).publicUrl);
        assertTrue(both.routeState(api(false, true)).get().available());
        // not admitted yet: the load balancer's address, if any, is still right
        Publication pending = new Publication(Optional.of(loadBalancer("192.0.2.10", null)), Optional.of(route(null, null, null)), true);
        assertEquals("https://192.0.2.10:9292", pending.endpoints(api(true, true)).publicUrl);
        assertEquals("WaitingForAdmission", pending.routeState(api(true, true)).get().reason());
    }

    @Test
    void aRejectedRouteSaysWhy() {
        Publication rejected = new Publication(Optional.empty(), Optional.of(route("glance.apps.example.com", "False", "HostAlreadyClaimed")),
                true);
        Publication.RouteState state = rejected.routeState(api(false, true)).get();
        assertFalse(state.available());
        assertEquals("HostAlreadyClaimed", state.reason());
        assertTrue(state.message().contains("taken"), state.message());
        assertNull(rejected.endpoints(api(false, true)).publicUrl);
    }

    @Test
    void noRouteApi() {
        Publication state = new Publication(Optional.empty(), Optional.empty(), false);
        assertEquals(Publication.ROUTE_UNAVAILABLE, state.routeState(api(false, true)).get().reason());
        assertTrue(state.routeState(api(false, false)).isEmpty());
    }
}
