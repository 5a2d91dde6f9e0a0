package org.openstack.glanceimport.demo;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.StatusConditions;
import org.openstack.glanceimport.support.e2e.E2eHarness;
import org.openstack.glanceimport.support.e2e.E2eSetup;
import org.openstack.glanceimport.support.kube.AsUser;
import static org.openstack.glanceimport.support.e2e.E2eHarness.ops;
import static org.openstack.glanceimport.support.e2e.E2eHarness.python;

/**
 * Part of `make e2e`, with the harness's services up (-De2e.run=RUNDIR): the live operator holds a scale-down while an
 * image is staged on the pod it would remove, asking real Glance's database, and completes it once the image is
 * imported. The pods are the operator's own rendering, run by the harness as real glance-api processes.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
@Tag("live")
class E2eScaleDownHold {

    static final String NS = E2eSetup.NS;
    static final String NAME = "glance-ceph";
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Inject
    @AsUser
    KubernetesClient client;

    @Test
    void scaleDownWaitsForTheImageStagedOnTheRemovedPod() throws Exception {
        Path run = Path.of(System.getProperty("e2e.run")).toAbsolutePath();
        E2eSetup.apply(client, run.resolve("secrets.json"));
        await().atMost(TIMEOUT).until(() -> sts() == 3);
        E2eHarness.podsUp(client, api(), run, "live.json");
        try {
            Path qcow2 = run.resolve("hold.qcow2");
            ops(run, "make-qcow2", qcow2.toString(), "32", "8");
            String id = E2eHarness.stagedOn(run, 2, "e2e-scale-down-hold", qcow2);

            client.resources(GlanceAPI.class).inNamespace(NS).withName(NAME)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":2}}");
            await().atMost(TIMEOUT).until(() -> blocked() != null && "True".equals(blocked().getStatus()));
            Condition held = blocked();
            System.out.println("[hold] " + held.getReason() + ": " + held.getMessage());
            assertEquals("ImagesStaged", held.getReason());
            assertTrue(held.getMessage().contains(id + " (uploading) on " + NAME + "-2"), held.getMessage());
            assertEquals(3, sts(), "the StatefulSet keeps pod 2 while it holds the staged data");
            assertTrue(client.v1().events().inNamespace(NS).list().getItems().stream()
                    .anyMatch(e -> "ScaleDownBlocked".equals(e.getReason()) && e.getMessage().contains(id)));

            String imported = ops(run, "import", "0", id);
            assertTrue(imported.startsWith("202"), imported);
            String result = ops(run, "wait", "0", id, "180");
            assertTrue(result.startsWith("active"), result);

            await().atMost(TIMEOUT).until(() -> sts() == 2);
            // released once the image is imported; the status is written after the StatefulSet
            await().atMost(TIMEOUT).until(() -> blocked() == null);
            assertTrue(client.v1().events().inNamespace(NS).list().getItems().stream()
                    .anyMatch(e -> "ScaleDownReleased".equals(e.getReason())));
            System.out.println("[hold] scale-down held while " + id + " was staged on pod 2, completed after its import");
        } finally {
            python("pods.py", "down", run.toString());
        }
    }

    private GlanceAPI api() {
        return client.resources(GlanceAPI.class).inNamespace(NS).withName(NAME).get();
    }

    private int sts() {
        var sts = client.apps().statefulSets().inNamespace(NS).withName(NAME).get();
        return sts == null ? -1 : sts.getSpec().getReplicas();
    }

    private Condition blocked() {
        return StatusConditions.find(api(), "ScaleDownBlocked");
    }
}
