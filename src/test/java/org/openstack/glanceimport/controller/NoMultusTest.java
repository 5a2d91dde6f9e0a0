package org.openstack.glanceimport.controller;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.StatusConditions;
import org.openstack.glanceimport.support.kube.AsUser;

/**
 * spec.networkAttachments where Multus is not installed (k8s.cni.cncf.io is not served): the GlanceAPI is held with a
 * condition that says so, instead of pods that would start with an annotation nobody honours, without the storage
 * network.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
class NoMultusTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    @AsUser
    KubernetesClient client;

    @Test
    void attachmentsWithoutMultusAreRefusedClearly() {
        String ns = "no-multus";
        Samples.apply(client, ns, "minimal.yaml", item -> !"GlanceAPI".equals(item.getKind()));
        GlanceAPI api = Samples.glanceApi(client, "minimal.yaml");
        api.getMetadata().setNamespace(ns);
        api.getSpec().networkAttachments = List.of("openstack/storage");
        client.resource(api).create();

        await().atMost(TIMEOUT).until(() -> StatusConditions.find(get(ns), "ConfigReady") != null);
        var condition = StatusConditions.get(get(ns), "ConfigReady");
        assertEquals("False", condition.getStatus());
        assertEquals("MultusNotInstalled", condition.getReason());
        assertTrue(condition.getMessage().startsWith("spec.networkAttachments: "), condition.getMessage());
        assertTrue(condition.getMessage().contains("Multus is not installed"), condition.getMessage());
        assertNull(client.apps().statefulSets().inNamespace(ns).withName("glance").get(), "no pods without their network");
        assertNull(client.configMaps().inNamespace(ns).withName("glance-config").get());
    }

    private GlanceAPI get(String ns) {
        return client.resources(GlanceAPI.class).inNamespace(ns).withName("glance").get();
    }
}
