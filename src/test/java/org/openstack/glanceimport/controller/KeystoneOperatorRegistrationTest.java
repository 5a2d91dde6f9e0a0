package org.openstack.glanceimport.controller;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.support.KeystoneOperatorApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.StatusConditions;
import org.openstack.glanceimport.support.kube.AsUser;

/**
 * Where keystone-operator's API is served, keystoneRegistration (method Auto) becomes its KeystoneService and
 * KeystoneEndpoint, owned by the GlanceAPI, and no finalizer; Ready once keystone-operator says so; removed when turned off.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = KeystoneOperatorApiServer.class)
class KeystoneOperatorRegistrationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(40);

    @Inject
    @AsUser
    KubernetesClient client;

    private GlanceAPI api(String ns) {
        return client.resources(GlanceAPI.class).inNamespace(ns).withName("glance").get();
    }

    private GenericKubernetesResource object(String ns, String kind) {
        return client.genericKubernetesResources("keystone.openstack.org/v1beta1", kind).inNamespace(ns).withName("glance").get();
    }

    @Test
    void keystoneOperatorsObjectsAreWrittenOwnedAndFollowed() {
        String ns = "ks-operator";
        Samples.apply(client, ns, "minimal.yaml", item -> true, Samples.glanceApiField("glance", "keystoneRegistration",
                Map.of("enabled", true)));
        await().atMost(TIMEOUT).until(() -> object(ns, "KeystoneEndpoint") != null && object(ns, "KeystoneService") != null
                && StatusConditions.of(api(ns), Conditions.KEYSTONE_REGISTERED).isPresent());
        GlanceAPI api = api(ns);
        assertEquals(Map.of("serviceType", "image", "serviceName", "glance", "serviceDescription", "OpenStack Image", "enabled", true,
                "serviceUser", "glance", "secret", "glance-keystone", "passwordSelector", "password"),
                object(ns, "KeystoneService").getAdditionalProperties().get("spec"));
        assertEquals(Map.of("serviceName", "glance", "endpoints", Map.of("internal", api.getStatus().endpoints.internal)),
                object(ns, "KeystoneEndpoint").getAdditionalProperties().get("spec"));
        assertEquals(api.getMetadata().getUid(), object(ns, "KeystoneEndpoint").getMetadata().getOwnerReferences().get(0).getUid());
        assertEquals("WaitingForKeystoneOperator", StatusConditions.get(api, Conditions.KEYSTONE_REGISTERED).getReason());
        assertEquals("KeystoneOperator", api.getStatus().keystoneRegistration.method);
        assertTrue(api.getMetadata().getFinalizers() == null || !api.getMetadata().getFinalizers().contains(KeystoneDeregistrationReconciler.FINALIZER),
                "owner references suffice: no finalizer");

        // keystone-operator's answer, as it writes it
        client.genericKubernetesResources("keystone.openstack.org/v1beta1", "KeystoneEndpoint").inNamespace(ns).withName("glance")
                .editStatus(e -> {
                    e.getAdditionalProperties().put("status", Map.of("endpointIDs", Map.of("internal", "4f2a"),
                            "conditions", List.of(Map.of("type", "Ready", "status", "True"))));
                    return e;
                });
        await().atMost(TIMEOUT).until(() -> StatusConditions.isTrue(api(ns), Conditions.KEYSTONE_REGISTERED));
        assertTrue(StatusConditions.get(api(ns), Conditions.KEYSTONE_REGISTERED).getMessage().contains("4f2a"));

        client.resources(GlanceAPI.class).inNamespace(ns).withName("glance")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"keystoneRegistration\":{\"enabled\":false}}}");
        await().atMost(TIMEOUT).until(() -> object(ns, "KeystoneEndpoint") == null && object(ns, "KeystoneService") == null
                && StatusConditions.of(api(ns), Conditions.KEYSTONE_REGISTERED).isEmpty());
        assertNull(api(ns).getStatus().keystoneRegistration);
    }
}
