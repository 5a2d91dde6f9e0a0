package org.openstack.glanceimport.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

import org.junit.jupiter.api.Test;

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.StatusConditions;
import org.openstack.glanceimport.support.glance.GlanceTables;
import org.openstack.glanceimport.support.kube.AsUser;
import org.openstack.glanceimport.support.kube.StatefulSetController;

/**
 * The upgrade from 0.1.0, whose pods have no preStop drain: the roll lets such a pod go only once Glance (its tables in
 * H2 here, real MariaDB and glance-api in make e2e) shows it importing nothing. The mock runs no StatefulSet controller:
 * the test plays it, and checks the partition the operator writes.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
class RollFromUndrainedPodsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    @AsUser
    KubernetesClient client;

    @Test
    void theRollWaitsForTheOldPodThatImportsThenLetsItGo() throws Exception {
        String ns = "undrained";
        GlanceTables db = GlanceTables.create("glance_" + ns);
        Samples.apply(client, ns, "minimal.yaml", item -> true, item -> {
            HasMetadata edited = Samples.reachableDatabase(ns, "glance_" + ns).apply(item);
            if (edited instanceof GlanceAPI || "GlanceAPI".equals(edited.getKind())) {
                GlanceAPI api = Samples.onSharedClaim(client, ns, Serialization.unmarshal(Serialization.asJson(edited), GlanceAPI.class));
                api.getSpec().replicas = 2;
                return api;
            }
            return edited;
        });
        await().atMost(TIMEOUT).until(() -> sts(ns) != null && sts(ns).getSpec().getReplicas() == 2);
        assertEquals(0, partition(ns), "no pod yet: nothing to wait for");

        // the pods 0.1.0's template made, Ready, and an import running on pod 1
        for (int ordinal = 0; ordinal < 2; ordinal++) {
            client.pods().inNamespace(ns).resource(oldPod(ns, ordinal)).create();
        }
        GlanceAPI api = api(ns);
        db.staged("img-on-1", "importing", Names.selfReferenceUrl(api, 1), Instant.now());
        StatefulSetController.markReady(client, ns, "glance");

        await().atMost(TIMEOUT).until(() -> partition(ns) == 2);
        await().atMost(TIMEOUT).until(() -> StatusConditions.isTrue(api(ns), Conditions.ROLL_HELD));
        String message = StatusConditions.get(api(ns), Conditions.ROLL_HELD).getMessage();
        assertTrue(message.startsWith("The roll waits to replace pod glance-1, made without the import drain, while it runs imports of img-on-1"),
                message);
        assertEquals("glance-1", api(ns).getStatus().rollHold.pod);
        assertEquals(1, events(ns, "RollHeld").size());
        assertEquals(2, api(ns).getSpec().replicas, "the user's spec is never written");

        db.setStatus("img-on-1", "active");
        // the held roll looks again every 10 s
        await().atMost(TIMEOUT).until(() -> partition(ns) == 1);
        await().atMost(TIMEOUT).until(() -> StatusConditions.of(api(ns), Conditions.ROLL_HELD).isEmpty());
        assertNull(api(ns).getStatus().rollHold);
        assertEquals(1, events(ns, "RollReleased").size());

        // pod 1 replaced from the new template (it has the drain) and Ready; pod 0 idle: the roll goes on to it
        client.pods().inNamespace(ns).withName("glance-1").delete();
        await().atMost(TIMEOUT).until(() -> client.pods().inNamespace(ns).withName("glance-1").get() == null);
        client.pods().inNamespace(ns).resource(podFromTemplate(ns, 1)).create();
        StatefulSetController.report(client, ns, "glance", 2, 2, "glance-2");
        await().atMost(TIMEOUT).until(() -> partition(ns) == 0);
    }

    private Pod podFromTemplate(String ns, int ordinal) {
        StatefulSet sts = sts(ns);
        return new PodBuilder().withNewMetadata().withName("glance-" + ordinal).withNamespace(ns)
                .withLabels(sts.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
                .withSpec(sts.getSpec().getTemplate().getSpec())
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
    }

    private Pod oldPod(String ns, int ordinal) {
        Pod pod = podFromTemplate(ns, ordinal);
        pod.getSpec().getContainers().forEach(c -> c.setLifecycle(null));
        return pod;
    }

    private StatefulSet sts(String ns) {
        return client.apps().statefulSets().inNamespace(ns).withName("glance").get();
    }

    private int partition(String ns) {
        return sts(ns).getSpec().getUpdateStrategy().getRollingUpdate().getPartition();
    }

    private GlanceAPI api(String ns) {
        return client.resources(GlanceAPI.class).inNamespace(ns).withName("glance").get();
    }

    private List<Event> events(String ns, String reason) {
        return client.v1().events().inNamespace(ns).list().getItems().stream().filter(e -> reason.equals(e.getReason())).toList();
    }
}
