package org.openstack.glanceimport.controller;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.DatabasePurge;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.imagecache.ImageCache;
import org.openstack.glanceimport.api.networks.PodNetworkAddresses;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.pod.NetworkAttachments;
import org.openstack.glanceimport.support.MultusApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.StatusConditions;
import org.openstack.glanceimport.support.kube.AsUser;
import org.openstack.glanceimport.support.kube.Multus;

/**
 * spec.networkAttachments on a cluster with Multus (its API served): the networks reach the glance-api pods and the
 * Jobs that stand in for them, a definition that does not exist holds the GlanceAPI without touching what runs, and the
 * addresses Multus reports on the pods reach the status. Without Multus: NoMultusTest.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = MultusApiServer.class)
class NetworkAttachmentsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    @AsUser
    KubernetesClient client;

    /** minimal.yaml's inputs and its GlanceAPI with the given attachments, the image cache and the database purge. */
    private void apply(String ns, List<String> attachments) {
        Samples.apply(client, ns, "minimal.yaml", item -> !"GlanceAPI".equals(item.getKind()));
        GlanceAPI api = Samples.glanceApi(client, "minimal.yaml");
        api.getMetadata().setNamespace(ns);
        api.getSpec().networkAttachments = attachments;
        api.getSpec().imageCache = Serialization.unmarshal("{\"size\":\"5Gi\"}", ImageCache.class);
        api.getSpec().databasePurge = new DatabasePurge();
        client.resource(api).create();
    }

    private GlanceAPI api(String ns) {
        return client.resources(GlanceAPI.class).inNamespace(ns).withName("glance").get();
    }

    private StatefulSet sts(String ns) {
        return client.apps().statefulSets().inNamespace(ns).withName("glance").get();
    }

    private static String networks(ObjectMeta pod) {
        return pod.getAnnotations() == null ? null : pod.getAnnotations().get(NetworkAttachments.NETWORKS_ANNOTATION);
    }

    @Test
    void attachmentsReachTheApiPodsAndTheCacheJobsNotTheDatabaseJobs() {
        String ns = "nad-pods";
        client.resource(Multus.storageNetwork("openstack", "storage")).create();
        client.resource(Multus.storageNetwork(ns, "ceph-net")).create();
        apply(ns, List.of("openstack/storage", "ceph-net"));
        await().atMost(TIMEOUT).until(() -> sts(ns) != null && client.batch().v1().cronjobs().inNamespace(ns).list().getItems().size() == 2);

        assertEquals("openstack/storage,ceph-net", networks(sts(ns).getSpec().getTemplate().getMetadata()),
                "Multus reads a comma-separated list");
        CronJob cache = client.batch().v1().cronjobs().inNamespace(ns).withName(Names.cacheCronJob(api(ns), 0)).get();
        assertEquals("openstack/storage,ceph-net", networks(cache.getSpec().getJobTemplate().getSpec().getTemplate().getMetadata()));
        CronJob purge = client.batch().v1().cronjobs().inNamespace(ns).withName(Names.dbPurgeCronJob(api(ns))).get();
        assertNull(networks(purge.getSpec().getJobTemplate().getSpec().getTemplate().getMetadata()), "db purge reaches the database only");
        for (Job dbSync : client.batch().v1().jobs().inNamespace(ns).list().getItems()) {
            assertNull(networks(dbSync.getSpec().getTemplate().getMetadata()), "db-sync reaches the database only");
        }
        assertTrue(StatusConditions.isTrue(api(ns), "ConfigReady"));
    }

    @Test
    void addressesMultusReportsOnThePodsReachTheStatus() {
        String ns = "nad-status";
        client.resource(Multus.storageNetwork(ns, "storage")).create();
        apply(ns, List.of("storage"));
        await().atMost(TIMEOUT).until(() -> sts(ns) != null && api(ns).getStatus() != null && api(ns).getStatus().networkAddresses != null);
        assertEquals(List.of(), api(ns).getStatus().networkAddresses, "no pod yet");

        // the StatefulSet controller's pod, then Multus's report on it: the pods are watched, nothing else announces it
        GlanceAPI api = api(ns);
        client.resource(new PodBuilder().withNewMetadata().withName("glance-0").withNamespace(ns).withLabels(Names.labels(api))
                .addToAnnotations(NetworkAttachments.NETWORKS_ANNOTATION, "storage").endMetadata()
                .withNewSpec().addNewContainer().withName("glance-api").withImage("glance").endContainer().endSpec().build()).create();
        annotate(ns, Multus.networkStatus("10.128.0.12", ns + "/storage", "172.18.0.31"));
        await().atMost(TIMEOUT).until(() -> ips(ns).equals(List.of("172.18.0.31")));
        PodNetworkAddresses pod = api(ns).getStatus().networkAddresses.get(0);
        assertEquals("glance-0", pod.pod);
        assertEquals(1, pod.networks.size(), "the pod network is not listed");
        assertEquals(ns + "/storage", pod.networks.get(0).name);
        assertEquals("net1", pod.networks.get(0).interfaceName);
        assertNull(pod.message);

        annotate(ns, Multus.networkStatus("10.128.0.12", ns + "/storage", "172.18.0.44"));
        await().atMost(TIMEOUT).until(() -> ips(ns).equals(List.of("172.18.0.44")));

        annotate(ns, "[{\"name\":");
        await().atMost(TIMEOUT).until(() -> api(ns).getStatus().networkAddresses.get(0).message != null);
        assertTrue(api(ns).getStatus().networkAddresses.get(0).message.contains("unreadable"), api(ns).getStatus().networkAddresses.toString());
        assertTrue(StatusConditions.isTrue(api(ns), "ConfigReady"), "an unreadable report is not the user's input");
    }

    private void annotate(String ns, String networkStatus) {
        client.pods().inNamespace(ns).withName("glance-0").patch(PatchContext.of(PatchType.JSON_MERGE),
                Serialization.asJson(Map.of("metadata", Map.of("annotations", Map.of(NetworkAttachments.NETWORK_STATUS_ANNOTATION,
                        networkStatus)))));
    }

    private List<String> ips(String ns) {
        List<PodNetworkAddresses> pods = api(ns).getStatus().networkAddresses;
        return pods == null || pods.isEmpty() || pods.get(0).networks.isEmpty() ? List.of() : pods.get(0).networks.get(0).ips;
    }

    @Test
    void aMissingDefinitionHoldsTheGlanceApiUntilItExists() {
        String ns = "nad-missing";
        apply(ns, null);
        await().atMost(TIMEOUT).until(() -> sts(ns) != null && StatusConditions.isTrue(api(ns), "ConfigReady"));
        String running = sts(ns).getMetadata().getResourceVersion();

        client.resources(GlanceAPI.class).inNamespace(ns).withName("glance").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"networkAttachments\":[\"" + ns + "\",\"storage/ceph-net\"]}}");
        await().atMost(TIMEOUT).until(() -> "False".equals(StatusConditions.find(api(ns), "ConfigReady") == null ? null
                : StatusConditions.find(api(ns), "ConfigReady").getStatus()));
        String message = StatusConditions.get(api(ns), "ConfigReady").getMessage();
        assertEquals("NetworkAttachmentNotFound", StatusConditions.get(api(ns), "ConfigReady").getReason());
        assertTrue(message.contains("spec.networkAttachments[0]: NetworkAttachmentDefinition nad-missing/nad-missing not found"), message);
        assertTrue(message.contains("spec.networkAttachments[1]: NetworkAttachmentDefinition storage/ceph-net not found"), message);
        await().atMost(TIMEOUT).until(() -> client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(e -> "NetworkAttachmentNotFound".equals(e.getReason())));
        assertEquals(running, sts(ns).getMetadata().getResourceVersion(), "the running StatefulSet is left as it was");
        assertNull(networks(sts(ns).getSpec().getTemplate().getMetadata()));

        // nothing announces a definition: the GlanceAPI looks again while one is missing
        client.resource(Multus.storageNetwork(ns, ns)).create();
        client.resource(Multus.storageNetwork("storage", "ceph-net")).create();
        await().atMost(TIMEOUT).until(() -> (ns + ",storage/ceph-net").equals(networks(sts(ns).getSpec().getTemplate().getMetadata())));
        await().atMost(TIMEOUT).until(() -> StatusConditions.isTrue(api(ns), "ConfigReady"));
        assertFalse(client.v1().events().inNamespace(ns).list().getItems().stream().noneMatch(e -> "ConfigValid".equals(e.getReason())));
    }
}
