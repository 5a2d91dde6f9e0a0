package org.openstack.glanceimport.controller;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpecBuilder;
import io.fabric8.kubernetes.api.model.ServiceStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.openshift.api.model.Route;
import io.fabric8.openshift.api.model.RouteIngressBuilder;
import io.fabric8.openshift.api.model.RouteStatusBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.support.OpenShiftApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.StatusConditions;
import org.openstack.glanceimport.support.kube.AsUser;

/**
 * spec.service and spec.route on an API server that serves Routes (as OpenShift): the Service's shape per type, the
 * Route per termination, and status.endpoints from what a load balancer or a router writes into their status. The
 * cluster without a Route API is ExposureWithoutRoutesTest.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = OpenShiftApiServer.class)
class ExposureTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    @AsUser
    KubernetesClient client;

    private GlanceAPI api(String ns, String name) {
        return client.resources(GlanceAPI.class).inNamespace(ns).withName(name).get();
    }

    private Service service(String ns, String name) {
        return client.services().inNamespace(ns).withName(name).get();
    }

    private Route route(String ns, String name) {
        return client.resources(Route.class).inNamespace(ns).withName(name).get();
    }

    /**
     * The object's annotations but the one JOSDK adds when it updates without server-side apply (as in these tests):
     * the operator's own bookkeeping, not part of the shape.
     */
    private static Map<String, String> annotations(io.fabric8.kubernetes.api.model.HasMetadata object) {
        Map<String, String> out = new LinkedHashMap<>(object.getMetadata().getAnnotations() == null ? Map.of()
                : object.getMetadata().getAnnotations());
        out.remove("javaoperatorsdk.io/previous");
        return out;
    }

    private void minimalWith(String ns, String field, Object value) {
        Samples.apply(client, ns, "minimal.yaml", item -> true, Samples.glanceApiField("glance", field, value));
    }

    /** Without spec.service the Service is the ClusterIP one it always was: no field more, no label more. */
    @Test
    void theDefaultServiceIsUnchanged() {
        String ns = "svc-default";
        Samples.apply(client, ns, "minimal.yaml");
        await().atMost(TIMEOUT).until(() -> api(ns, "glance").getStatus() != null && api(ns, "glance").getStatus().endpoints != null);
        Service svc = service(ns, "glance");
        assertEquals(Map.of(), annotations(svc));
        assertEquals(Map.of("app.kubernetes.io/name", "glance-api", "app.kubernetes.io/instance", "glance",
                "app.kubernetes.io/component", "image-api", "app.kubernetes.io/part-of", "openstack-glance",
                "app.kubernetes.io/managed-by", "glance-import-operator", "import.glance.openstack.org/glanceapi", "glance"),
                svc.getMetadata().getLabels());
        assertEquals(new ServiceSpecBuilder().withType("ClusterIP").withSelector(Map.of("app.kubernetes.io/name", "glance-api",
                "app.kubernetes.io/instance", "glance")).addNewPort().withName("http").withProtocol("TCP").withPort(9292)
                .withTargetPort(new IntOrString("http")).endPort().build(), svc.getSpec());
        GlanceAPI api = api(ns, "glance");
        assertEquals("http://glance." + ns + ".svc:9292", api.getStatus().endpoints.internal);
        assertEquals(api.getStatus().endpoint, api.getStatus().endpoints.internal);
        assertNull(api.getStatus().endpoints.publicUrl);
        assertTrue(api.getStatus().endpoints.message.contains("in the cluster only"), api.getStatus().endpoints.message);
        assertTrue(StatusConditions.of(api, Conditions.ROUTE_AVAILABLE).isEmpty());
    }

    /**
     * A LoadBalancer Service with the user's annotations and labels (a clashing label key is ignored, the operator's
     * stays); status.endpoints.public follows the address the load balancer writes into the Service's status.
     */
    @Test
    void aLoadBalancerServiceGivesThePublicEndpoint() {
        String ns = "svc-lb";
        Map<String, Object> service = new LinkedHashMap<>();
        service.put("type", "LoadBalancer");
        service.put("annotations", Map.of("metallb.universe.tf/address-pool", "openstack"));
        service.put("labels", Map.of("team", "images", "app.kubernetes.io/name", "not-glance"));
        service.put("externalTrafficPolicy", "Local");
        service.put("loadBalancerClass", "metallb.universe.tf/metallb");
        service.put("ipFamilies", List.of("IPv4"));
        service.put("ipFamilyPolicy", "SingleStack");
        service.put("nodePort", 30292);
        minimalWith(ns, "service", service);
        await().atMost(TIMEOUT).until(() -> service(ns, "glance") != null && api(ns, "glance").getStatus() != null
                && api(ns, "glance").getStatus().endpoints != null);
        Service svc = service(ns, "glance");
        assertEquals("LoadBalancer", svc.getSpec().getType());
        assertEquals(Map.of("metallb.universe.tf/address-pool", "openstack"), annotations(svc));
        assertEquals("images", svc.getMetadata().getLabels().get("team"));
        assertEquals("glance-api", svc.getMetadata().getLabels().get("app.kubernetes.io/name"));
        assertEquals("Local", svc.getSpec().getExternalTrafficPolicy());
        assertEquals("metallb.universe.tf/metallb", svc.getSpec().getLoadBalancerClass());
        assertEquals(List.of("IPv4"), svc.getSpec().getIpFamilies());
        assertEquals("SingleStack", svc.getSpec().getIpFamilyPolicy());
        assertEquals(30292, svc.getSpec().getPorts().get(0).getNodePort());
        // the headless Service keeps its shape
        Service headless = service(ns, "glance-headless");
        assertEquals("None", headless.getSpec().getClusterIP());
        assertEquals(Map.of(), annotations(headless));
        assertNull(headless.getSpec().getType());
        GlanceAPI before = api(ns, "glance");
        assertNull(before.getStatus().endpoints.publicUrl);
        assertTrue(before.getStatus().endpoints.message.contains("waits for the load balancer"), before.getStatus().endpoints.message);

        // as a cloud controller or MetalLB would
        svc.setStatus(new ServiceStatusBuilder().withNewLoadBalancer().withIngress(new LoadBalancerIngressBuilder()
                .withIp("192.0.2.10").build()).endLoadBalancer().build());
        client.resource(svc).updateStatus();
        await().atMost(TIMEOUT).until(() -> "http://192.0.2.10:9292".equals(api(ns, "glance").getStatus().endpoints.publicUrl));
        assertNull(api(ns, "glance").getStatus().endpoints.message);
        assertEquals("http://glance." + ns + ".svc:9292", api(ns, "glance").getStatus().endpoints.internal);
    }

    @Test
    void aNodePortServiceSaysWhyThereIsNoPublicUrl() {
        String ns = "svc-nodeport";
        minimalWith(ns, "service", Map.of("type", "NodePort", "nodePort", 30293));
        await().atMost(TIMEOUT).until(() -> api(ns, "glance").getStatus() != null && api(ns, "glance").getStatus().endpoints != null
                && api(ns, "glance").getStatus().endpoints.message.contains("NodePort"));
        assertEquals("NodePort", service(ns, "glance").getSpec().getType());
        assertEquals(30293, service(ns, "glance").getSpec().getPorts().get(0).getNodePort());
        assertNull(api(ns, "glance").getStatus().endpoints.publicUrl);
        assertTrue(api(ns, "glance").getStatus().endpoints.message.contains("port 30293"), api(ns, "glance").getStatus().endpoints.message);
    }

    /** An edge Route: made, admitted by a router (its status), public endpoint from its host; gone with spec.route. */
    @Test
    void anEdgeRouteIsMadeAdmittedAndRemoved() {
        String ns = "route-edge";
        minimalWith(ns, "route", Map.of("host", "glance.apps.example.com", "termination", "edge",
                "annotations", Map.of("haproxy.router.openshift.io/timeout", "10m")));
        await().atMost(TIMEOUT).until(() -> route(ns, "glance") != null);
        Route route = route(ns, "glance");
        assertEquals("glance.apps.example.com", route.getSpec().getHost());
        assertEquals("Service", route.getSpec().getTo().getKind());
        assertEquals("glance", route.getSpec().getTo().getName());
        assertEquals("http", route.getSpec().getPort().getTargetPort().getStrVal());
        assertEquals("edge", route.getSpec().getTls().getTermination());
        assertNull(route.getSpec().getTls().getDestinationCACertificate());
        assertEquals(Map.of("haproxy.router.openshift.io/timeout", "10m"), annotations(route), "the user's timeout wins over apiTimeout's");
        assertEquals("glance-import-operator", route.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
        await().atMost(TIMEOUT).until(() -> StatusConditions.of(api(ns, "glance"), Conditions.ROUTE_AVAILABLE)
                .map(c -> "WaitingForAdmission".equals(c.getReason())).orElse(false));

        // as the router would
        route.setStatus(new RouteStatusBuilder().withIngress(new RouteIngressBuilder().withHost("glance.apps.example.com")
                .withRouterName("default").addNewCondition().withType("Admitted").withStatus("True").endCondition().build()).build());
        client.resource(route).updateStatus();
        await().atMost(TIMEOUT).until(() -> "https://glance.apps.example.com".equals(api(ns, "glance").getStatus().endpoints.publicUrl));
        assertTrue(StatusConditions.isTrue(api(ns, "glance"), Conditions.ROUTE_AVAILABLE));

        client.resources(GlanceAPI.class).inNamespace(ns).withName("glance").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"route\":null}}");
        await().atMost(TIMEOUT).until(() -> route(ns, "glance") == null
                && StatusConditions.of(api(ns, "glance"), Conditions.ROUTE_AVAILABLE).isEmpty()
                && api(ns, "glance").getStatus().endpoints.publicUrl == null);
    }

    /** A reencrypt Route verifies the pods with the CA their certificate chains to (spec.tls's ca.crt). */
    @Test
    void aReencryptRouteCarriesTheTlsCa() {
        // a namespace the test certificate's names cover
        String ns = "tls";
        Samples.apply(client, ns, "minimal.yaml", item -> "Secret".equals(item.getKind()));
        Samples.apply(client, ns, "ceph.yaml", item -> !"GlanceAPI".equals(item.getKind()));
        client.resource(Samples.secret(ns, "glance-tls-cert", "tls.crt", Samples.tlsFile("wildcard.crt"), "tls.key",
                Samples.tlsFile("wildcard.key"), "ca.crt", Samples.tlsFile("ca.crt"))).create();
        Samples.apply(client, ns, "production.yaml", item -> true, Samples.glanceApiField("glance-tls", "route",
                Map.of("termination", "reencrypt")));
        await().atMost(TIMEOUT).until(() -> route(ns, "glance-tls") != null);
        Route route = route(ns, "glance-tls");
        assertEquals("reencrypt", route.getSpec().getTls().getTermination());
        assertEquals(Samples.tlsFile("ca.crt"), route.getSpec().getTls().getDestinationCACertificate());
        assertEquals("https", route.getSpec().getPort().getTargetPort().getStrVal());
        assertNull(route.getSpec().getHost());
        assertEquals(Map.of("haproxy.router.openshift.io/timeout", "300s"), annotations(route),
                "the router, 30 s by default, would cut what apiTimeout lets the pods wait for");
    }
}
