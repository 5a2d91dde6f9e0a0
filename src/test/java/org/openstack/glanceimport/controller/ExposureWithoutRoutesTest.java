package org.openstack.glanceimport.controller;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.StatusConditions;
import org.openstack.glanceimport.support.kube.AsUser;

/**
 * spec.route on a cluster without route.openshift.io (plain Kubernetes): no Route, no failed reconcile; the status and
 * an Event say why, and everything else is made as usual.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
class ExposureWithoutRoutesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    @AsUser
    KubernetesClient client;

    private GlanceAPI api(String ns) {
        return client.resources(GlanceAPI.class).inNamespace(ns).withName("glance").get();
    }

    @Test
    void aRouteWithoutTheRouteApiIsReportedAndTheRestRuns() {
        String ns = "no-routes";
        Samples.apply(client, ns, "minimal.yaml", item -> true, Samples.glanceApiField("glance", "route", Map.of("termination", "edge")));
        await().atMost(TIMEOUT).until(() -> StatusConditions.of(api(ns), Conditions.ROUTE_AVAILABLE).isPresent()
                && client.apps().statefulSets().inNamespace(ns).withName("glance").get() != null);
        Condition route = StatusConditions.get(api(ns), Conditions.ROUTE_AVAILABLE);
        assertEquals("False", route.getStatus());
        assertEquals("RouteUnavailable", route.getReason());
        assertTrue(route.getMessage().contains("spec.route") && route.getMessage().contains("route.openshift.io"), route.getMessage());
        assertEquals("False", StatusConditions.get(api(ns), Conditions.DEGRADED).getStatus());
        await().atMost(TIMEOUT).until(() -> client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(e -> "RouteUnavailable".equals(e.getReason()) && "Warning".equals(e.getType())));
        assertTrue(client.services().inNamespace(ns).withName("glance").get() != null);
    }
}
