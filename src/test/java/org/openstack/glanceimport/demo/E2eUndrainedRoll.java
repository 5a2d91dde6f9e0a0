package org.openstack.glanceimport.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openstack.glanceimport.support.e2e.E2eHarness.ops;
import static org.openstack.glanceimport.support.e2e.E2eHarness.python;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.support.GlanceApiObjects;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.StatusConditions;
import org.openstack.glanceimport.support.e2e.E2eHarness;
import org.openstack.glanceimport.support.e2e.E2eSetup;
import org.openstack.glanceimport.support.kube.AsUser;
import org.openstack.glanceimport.support.kube.StatefulSetController;

/**
 * Part of `make e2e`, with the harness's services up (-De2e.run=RUNDIR): the upgrade's roll from pods made without the
 * import drain (0.1.0's template had no preStop hook; here the operator's own pods with the hook taken out). An import
 * runs on each pod when the roll begins; the live operator asks real MariaDB what each pod runs, and the test plays the
 * StatefulSet controller by the partition the operator writes: each pod is stopped as 0.1.0's pods are (SIGTERM, no
 * hook) only once Glance shows its own import done, and comes back from the new template, pod 1 first.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
@Tag("live")
class E2eUndrainedRoll {

    static final String NS = E2eSetup.NS;
    static final String NAME = "glance-ceph";
    static final Duration TIMEOUT = Duration.ofSeconds(180);

    @Inject
    @AsUser
    KubernetesClient client;

    @Test
    void theRollReplacesAnUndrainedPodOnlyOnceItsImportIsDone() throws Exception {
        Path run = Path.of(System.getProperty("e2e.run")).toAbsolutePath();
        E2eSetup.apply(client, run.resolve("secrets.json"));
        client.resources(GlanceAPI.class).inNamespace(NS).withName(NAME).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"replicas\":2}}");
        await().atMost(TIMEOUT).until(() -> sts() != null && sts().getSpec().getReplicas() == 2);

        KubernetesList current = GlanceApiObjects.of(client, api());
        Path newList = run.resolve("live-roll-new.json");
        Files.writeString(newList, Serialization.asJson(current));
        StatefulSet template = statefulSet(current);
        StatefulSet undrained = Serialization.clone(template);
        undrained.getSpec().getTemplate().getSpec().getContainers().forEach(c -> c.setLifecycle(null));
        undrained.getSpec().getTemplate().getSpec().setTerminationGracePeriodSeconds(60L);
        KubernetesList old = Serialization.clone(current);
        old.getItems().replaceAll(item -> item instanceof StatefulSet ? undrained : item);
        Path oldList = run.resolve("live-roll-old.json");
        Files.writeString(oldList, Serialization.asJson(old));
        python("pods.py", "up", run.toString(), oldList.toString());
        List<String> log = new ArrayList<>();
        try {
            Path qcow2 = run.resolve("images").resolve("roll.qcow2");
            Files.createDirectories(qcow2.getParent());
            ops(run, "make-qcow2", qcow2.toString(), "1024", "256");
            // an import on every pod: each is replaced only once its own is done
            List<String> ids = new ArrayList<>();
            for (int ordinal = 0; ordinal < 2; ordinal++) {
                ids.add(E2eHarness.importInFlight(run, NAME, ordinal, "e2e-undrained-roll-" + ordinal, qcow2));
            }
            // the roll begins once the operator sees the 0.1.0 pods (the mock held none so far) and is woken by the StatefulSet
            // controller's report
            for (int ordinal = 0; ordinal < 2; ordinal++) {
                report(ordinal, undrained);
            }
            StatefulSetController.report(client, NS, NAME, 2, 2, NAME + "-new");
            await().atMost(TIMEOUT).until(() -> StatusConditions.isTrue(api(), Conditions.ROLL_HELD));
            log.add("held: " + StatusConditions.get(api(), Conditions.ROLL_HELD).getMessage());
            assertEquals(2, partition(), "pod 1 keeps the template it runs");
            assertTrue(StatusConditions.get(api(), Conditions.ROLL_HELD).getMessage().contains(ids.get(1)));

            for (int ordinal = 1; ordinal >= 0; ordinal--) {
                int pod = ordinal;
                Instant asked = Instant.now();
                await().atMost(TIMEOUT).until(() -> partition() <= pod);
                String id = ids.get(pod);
                String status = ops(run, "status", "0", id).strip();
                log.add("pod " + pod + " let go after " + Duration.between(asked, Instant.now()).toMillis() + " ms, its image " + status);
                assertEquals("active", status, "pod " + pod + " is replaced only once the import it ran is done");
                String stopped = python("pods.py", "delete", run.toString(), oldList.toString(), "--only", Integer.toString(pod));
                log.add("pod " + pod + " stopped as 0.1.0's pods are: " + stopped.strip());
                python("pods.py", "up", run.toString(), newList.toString(), "--only", Integer.toString(pod), "--replicas", "2");
                report(pod, template);
                StatefulSetController.report(client, NS, NAME, 2, 2, NAME + "-new");
            }
            await().atMost(TIMEOUT).until(() -> partition() == 0);
            await().atMost(TIMEOUT).until(() -> StatusConditions.of(api(), Conditions.ROLL_HELD).isEmpty());
            assertTrue(!events("RollReleased").isEmpty());
            assertTrue(events("RollHeld").stream().anyMatch(e -> e.getMessage().contains(ids.get(1))), "the hold named pod 1's import");
            for (String id : ids) {
                assertEquals("active", ops(run, "status", "0", id).strip());
            }
            assertEquals(2, api().getSpec().replicas, "the user's spec is never written by the operator");
            log.forEach(line -> System.out.println("[undrained-roll] " + line));
            // the test Ceph keeps its 4 GiB in memory: the next tests' imports hang once it is full
            for (String id : ids) {
                assertEquals("204", ops(run, "delete", "0", id).strip());
            }
        } finally {
            python("pods.py", "down", run.toString());
        }
    }

    /** The kubelet's report of a Ready pod from the given StatefulSet's template. */
    private void report(int ordinal, StatefulSet from) {
        String name = NAME + "-" + ordinal;
        client.pods().inNamespace(NS).withName(name).delete();
        await().atMost(TIMEOUT).until(() -> client.pods().inNamespace(NS).withName(name).get() == null);
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .withLabels(from.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
                .withSpec(from.getSpec().getTemplate().getSpec())
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
        client.pods().inNamespace(NS).resource(pod).create();
    }

    private static StatefulSet statefulSet(KubernetesList list) {
        return list.getItems().stream().filter(StatefulSet.class::isInstance).map(StatefulSet.class::cast).findFirst().orElseThrow();
    }

    private GlanceAPI api() {
        return client.resources(GlanceAPI.class).inNamespace(NS).withName(NAME).get();
    }

    private StatefulSet sts() {
        return client.apps().statefulSets().inNamespace(NS).withName(NAME).get();
    }

    private int partition() {
        return sts().getSpec().getUpdateStrategy().getRollingUpdate().getPartition();
    }

    private List<Event> events(String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream().filter(e -> reason.equals(e.getReason())).toList();
    }
}
