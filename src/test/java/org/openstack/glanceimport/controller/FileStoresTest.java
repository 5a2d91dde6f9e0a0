package org.openstack.glanceimport.controller;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.stores.FileBackend;
import org.openstack.glanceimport.config.GlancePaths;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.status.GlanceApiStatusWriter;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.StatusConditions;
import org.openstack.glanceimport.support.kube.AsUser;
import org.openstack.glanceimport.support.kube.StatefulSetController;
import org.openstack.glanceimport.validation.SharedFileClaims;

/**
 * File stores on the mock API server, which runs no CEL: a pod-local file store never gets a second pod from the operator
 * (what the CRD's rule refuses on a real server, CrdsOnRealApiServerTest); a shared one is mounted on every pod once its
 * claim exists and allows ReadWriteMany.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
class FileStoresTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    @AsUser
    KubernetesClient client;

    private GlanceAPI api(String ns, String name) {
        return client.resources(GlanceAPI.class).inNamespace(ns).withName(name).get();
    }

    private StatefulSet sts(String ns, String name) {
        return client.apps().statefulSets().inNamespace(ns).withName(name).get();
    }

    private void claim(String ns, String name, String accessMode) {
        client.resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withAccessModes(accessMode).withNewResources().addToRequests("storage", new Quantity("10Gi"))
                .endResources().endSpec().build()).create();
    }

    private List<Event> warnings(String ns, String reason) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> "Warning".equals(e.getType()) && reason.equals(e.getReason())).toList();
    }

    @Test
    void aPodLocalFileStoreKeepsOnePodAndSaysWhyUntilTheStoreIsShared() {
        String ns = "local-files";
        Samples.apply(client, ns, "minimal.yaml");
        await().atMost(TIMEOUT).until(() -> sts(ns, "glance") != null);
        StatefulSetController.markReady(client, ns, "glance");
        await().atMost(TIMEOUT).until(() -> StatusConditions.isTrue(api(ns, "glance"), Conditions.READY));

        // what kubectl scale would write where the schema's rule is not evaluated
        client.resources(GlanceAPI.class).inNamespace(ns).withName("glance")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":2}}");
        await().atMost(TIMEOUT).until(() -> StatusConditions.isTrue(api(ns, "glance"), Conditions.REPLICAS_LIMITED));
        var limited = StatusConditions.get(api(ns, "glance"), Conditions.REPLICAS_LIMITED);
        assertEquals(GlanceApiStatusWriter.LOCAL_FILE_STORE, limited.getReason());
        assertTrue(limited.getMessage().contains("spec.replicas asks for 2 pods"), limited.getMessage());
        assertTrue(limited.getMessage().contains("spec.stores[0].file.claimName"), limited.getMessage());
        await().atMost(TIMEOUT).until(() -> !warnings(ns, GlanceApiStatusWriter.LOCAL_FILE_STORE).isEmpty());
        assertEquals(1, sts(ns, "glance").getSpec().getReplicas(), "no second pod for a pod-local store");
        assertTrue(StatusConditions.isTrue(api(ns, "glance"), Conditions.READY), "the running pod keeps serving");

        // the fix the message names: the store moves to a claim every pod mounts
        claim(ns, "images", "ReadWriteMany");
        // an edit (the mock server appends to lists in a merge patch)
        client.resources(GlanceAPI.class).inNamespace(ns).withName("glance").edit(a -> {
            a.getSpec().stores.get(0).file = new FileBackend("images");
            return a;
        });
        await().atMost(TIMEOUT).until(() -> sts(ns, "glance").getSpec().getReplicas() == 2);
        await().atMost(TIMEOUT).until(() -> StatusConditions.of(api(ns, "glance"), Conditions.REPLICAS_LIMITED).isEmpty());
        assertEquals(1, warnings(ns, GlanceApiStatusWriter.LOCAL_FILE_STORE).size(), "announced once");
    }

    @Test
    void aSharedFileStoreIsMountedOnEveryPodAndGlanceStoresItsImagesThere() {
        String ns = "shared-files";
        Samples.apply(client, ns, "minimal.yaml", item -> !"GlanceAPI".equals(item.getKind()));
        Samples.apply(client, ns, Samples.SHARED_FILE);
        await().atMost(TIMEOUT).until(() -> sts(ns, "glance-shared") != null);
        StatefulSet sts = sts(ns, "glance-shared");
        assertEquals(3, sts.getSpec().getReplicas());
        Volume volume = sts.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(Names.STORE_VOLUME_PREFIX + "file")).findFirst().orElseThrow();
        assertEquals("glance-images", volume.getPersistentVolumeClaim().getClaimName());
        VolumeMount mount = sts.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts().stream()
                .filter(m -> m.getName().equals(volume.getName())).findFirst().orElseThrow();
        assertEquals(GlancePaths.SHARED_STORES_DIR + "/file", mount.getMountPath());
        assertFalse(mount.getMountPath().startsWith(GlancePaths.STATE_DIR + "/"), "not nested in the staging claim");
        ConfigMap config = client.configMaps().inNamespace(ns).withName(Names.configMap(api(ns, "glance-shared"))).get();
        assertTrue(config.getData().get(GlancePaths.API_CONF).contains("filesystem_store_datadir = " + mount.getMountPath()),
                config.getData().get(GlancePaths.API_CONF));
        assertTrue(StatusConditions.of(api(ns, "glance-shared"), Conditions.REPLICAS_LIMITED).isEmpty());
    }

    @Test
    void aSharedClaimThatIsMissingOrNotReadWriteManyIsRefusedBeforeAnythingIsCreated() {
        String ns = "bad-claims";
        Samples.apply(client, ns, "minimal.yaml", item -> !"GlanceAPI".equals(item.getKind()));
        Samples.apply(client, ns, Samples.SHARED_FILE, item -> "GlanceAPI".equals(item.getKind()));
        await().atMost(TIMEOUT).until(() -> StatusConditions.of(api(ns, "glance-shared"), Conditions.CONFIG_READY)
                .map(c -> SharedFileClaims.NOT_FOUND.equals(c.getReason())).orElse(false));
        String message = StatusConditions.get(api(ns, "glance-shared"), Conditions.CONFIG_READY).getMessage();
        assertTrue(message.startsWith("spec.stores[0].file.claimName: store \"file\": PersistentVolumeClaim \"glance-images\" "
                + "not found"), message);
        assertFalse(warnings(ns, SharedFileClaims.NOT_FOUND).isEmpty());
        assertEquals(null, sts(ns, "glance-shared"), "nothing rolled out");

        // a ReadWriteOnce claim of that name: found on the next look (nothing announces it), still refused
        claim(ns, "glance-images", "ReadWriteOnce");
        await().atMost(TIMEOUT).until(() -> StatusConditions.get(api(ns, "glance-shared"), Conditions.CONFIG_READY).getReason()
                .equals(SharedFileClaims.NOT_SHARED));
        message = StatusConditions.get(api(ns, "glance-shared"), Conditions.CONFIG_READY).getMessage();
        assertTrue(message.contains("[ReadWriteOnce]") && message.contains("needs ReadWriteMany"), message);
        assertEquals(null, sts(ns, "glance-shared"), "nothing rolled out");
    }
}
