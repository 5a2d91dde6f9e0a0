package org.openstack.glanceimport.controller;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.keystone.CatalogEntries;
import org.openstack.glanceimport.support.FakeKeystone;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.StatusConditions;
import org.openstack.glanceimport.support.kube.AsUser;

/**
 * spec.keystoneRegistration through Keystone's v3 API (a stand-in Keystone; the real one in the e2e), with the real
 * reconciler on the mock API server: registered once, nothing sent at the next reconciles, removed with the GlanceAPI
 * (its finalizer held until then); a refusing Keystone is a condition and an Event while the rest runs.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
class KeystoneRegistrationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static FakeKeystone keystone;

    @Inject
    @AsUser
    KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        keystone = new FakeKeystone("admin", "admin-password");
    }

    @AfterAll
    static void stop() {
        keystone.close();
    }

    private GlanceAPI api(String ns) {
        return client.resources(GlanceAPI.class).inNamespace(ns).withName("glance").get();
    }

    private void deploy(String ns) {
        client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("keystone-admin").endMetadata()
                .withStringData(Map.of("auth_url", keystone.authUrl(), "username", "admin", "password", "admin-password",
                        "project_name", "admin"))
                .build()).create();
        Samples.apply(client, ns, "minimal.yaml", item -> true, Samples.glanceApiField("glance", "keystoneRegistration",
                Map.of("enabled", true, "method", "KeystoneAPI", "adminSecret", "keystone-admin", "region", "regionTwo")));
    }

    @Test
    void registeredOnceLeftAloneAtSteadyStateAndRemovedWithTheGlanceApi() {
        String ns = "ks-register";
        deploy(ns);
        await().atMost(TIMEOUT).until(() -> StatusConditions.isTrue(api(ns), Conditions.KEYSTONE_REGISTERED));
        GlanceAPI api = api(ns);
        Condition registered = StatusConditions.get(api, Conditions.KEYSTONE_REGISTERED);
        assertEquals("Registered", registered.getReason());
        assertTrue(registered.getMessage().contains("public once status.endpoints has one"), registered.getMessage());
        assertTrue(api.getMetadata().getFinalizers().contains(KeystoneDeregistrationReconciler.FINALIZER));
        assertEquals("true", api.getMetadata().getLabels().get(KeystoneDeregistrationReconciler.LABEL));
        assertEquals(List.of("POST /v3/services", "POST /v3/endpoints"), keystone.writes());
        var endpoint = keystone.endpoints.values().iterator().next();
        assertEquals("internal", endpoint.get("interface"));
        assertEquals(api.getStatus().endpoints.internal, endpoint.get("url"));
        assertEquals("regionTwo", endpoint.get("region_id"));
        assertEquals(ns + "/glance", endpoint.get(CatalogEntries.OWNER_ATTRIBUTE));
        assertEquals(Map.of("internal", endpoint.get("id")), api.getStatus().keystoneRegistration.endpointIds);
        assertEquals("KeystoneAPI", api.getStatus().keystoneRegistration.method);
        assertTrue(client.v1().events().inNamespace(ns).list().getItems().stream().anyMatch(e -> "Registered".equals(e.getReason())));

        // more reconciles (a spec change, the pods' progress): Keystone is not asked again before the verify interval
        int requests = keystone.requests.size();
        client.resources(GlanceAPI.class).inNamespace(ns).withName("glance")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"scaleDownHoldSeconds\":30}}");
        await().atMost(TIMEOUT).until(() -> api(ns).getStatus().observedGeneration == api(ns).getMetadata().getGeneration());
        assertEquals(requests, keystone.requests.size(), "no request to Keystone: " + keystone.requests.subList(requests,
                keystone.requests.size()));

        client.resources(GlanceAPI.class).inNamespace(ns).withName("glance").delete();
        await().atMost(TIMEOUT).until(() -> api(ns) == null);
        assertTrue(keystone.endpoints.isEmpty() && keystone.services.isEmpty(), "removed: " + keystone.endpoints + keystone.services);
        assertTrue(client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(e -> "KeystoneDeregistered".equals(e.getReason())));
    }

    @Test
    void aRefusingKeystoneIsAConditionAndAWarningAndEverythingElseRuns() {
        String ns = "ks-refused";
        keystone.refuse = true;
        try {
            deploy(ns);
            await().atMost(TIMEOUT).until(() -> StatusConditions.of(api(ns), Conditions.KEYSTONE_REGISTERED).isPresent()
                    && client.apps().statefulSets().inNamespace(ns).withName("glance").get() != null);
            Condition c = StatusConditions.get(api(ns), Conditions.KEYSTONE_REGISTERED);
            assertEquals("False", c.getStatus());
            assertEquals("KeystoneRefused", c.getReason());
            assertTrue(c.getMessage().contains("403") && c.getMessage().contains("identity:create_service"), c.getMessage());
            assertEquals("False", StatusConditions.get(api(ns), Conditions.DEGRADED).getStatus());
            await().atMost(TIMEOUT).until(() -> client.v1().events().inNamespace(ns).list().getItems().stream()
                    .anyMatch(e -> "KeystoneRefused".equals(e.getReason()) && "Warning".equals(e.getType())));
            assertNull(api(ns).getStatus().keystoneRegistration, "nothing registered");
        } finally {
            keystone.refuse = false;
        }
        // turned off: nothing was made, so the finalizer goes and the condition with it
        client.resources(GlanceAPI.class).inNamespace(ns).withName("glance")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"keystoneRegistration\":{\"enabled\":false}}}");
        await().atMost(TIMEOUT).until(() -> StatusConditions.of(api(ns), Conditions.KEYSTONE_REGISTERED).isEmpty()
                && !api(ns).getMetadata().getFinalizers().contains(KeystoneDeregistrationReconciler.FINALIZER));
    }
}
