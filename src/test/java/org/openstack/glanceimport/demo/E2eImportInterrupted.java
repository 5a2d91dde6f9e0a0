package org.openstack.glanceimport.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.stranded.StrandedImage;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.e2e.E2eHarness;
import org.openstack.glanceimport.support.e2e.E2eSetup;
import org.openstack.glanceimport.support.kube.AsUser;
import static org.openstack.glanceimport.support.e2e.E2eHarness.ops;
import static org.openstack.glanceimport.support.e2e.E2eHarness.python;

/**
 * Part of `make e2e`, with the harness's services up (-De2e.run=RUNDIR): pod 1's glance-api is killed hard (SIGKILL: an
 * OOM kill, a node crash; no preStop runs) in the middle of a 1 GiB-virtual import, and comes back without it. Real
 * Glance leaves the image importing with its task processing for good; the operator reads that from real MariaDB, sees
 * that pod 1's glance-api started after the task last moved, and reports the import interrupted within two scans. With
 * policy Delete it then deletes the image through real Keystone and Glance.
 */
@QuarkusTest
@TestProfile(E2eImportInterrupted.Scans.class)
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
@Tag("live")
class E2eImportInterrupted {

    static final String NS = E2eSetup.NS;
    static final String NAME = "glance-ceph";
    static final int SCAN_SECONDS = 5;
    static final int GRACE_SECONDS = 5;
    static final Duration TIMEOUT = Duration.ofSeconds(180);

    public static class Scans implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("glance-import.stranded-images.interval", SCAN_SECONDS + "s", "glance-import.stranded-images.retry-interval",
                    SCAN_SECONDS + "s", "glance-import.stranded-images.glance-url", "http://127.0.1.1:9292");
        }
    }

    @Inject
    @AsUser
    KubernetesClient client;

    @Test
    void anImportKilledHardIsReportedInterruptedAndDeletedByPolicy() throws Exception {
        Path run = Path.of(System.getProperty("e2e.run")).toAbsolutePath();
        E2eSetup.apply(client, run.resolve("secrets.json"));
        client.resources(GlanceAPI.class).inNamespace(NS).withName(NAME).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"strandedImages\":{\"policy\":\"Delete\",\"gracePeriodSeconds\":" + GRACE_SECONDS + "}}}");
        await().atMost(TIMEOUT).until(() -> sts() == 3);
        Path list = E2eHarness.podsUp(client, api(), run, "live-interrupted.json");
        try {
            Path qcow2 = run.resolve("images").resolve("interrupted.qcow2");
            Files.createDirectories(qcow2.getParent());
            ops(run, "make-qcow2", qcow2.toString(), "1024", "256");
            String id = E2eHarness.importInFlight(run, NAME, 1, "e2e-interrupted", qcow2);

            python("pods.py", "kill", run.toString(), "--only", "1");
            python("pods.py", "up", run.toString(), list.toString(), "--only", "1", "--replicas", "3");
            // the kubelet's report of the restarted pod: its glance-api container runs since now
            Instant restarted = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            reportRunning(NAME + "-0", restarted.minusSeconds(3600));
            reportRunning(NAME + "-1", restarted);
            assertEquals("importing", ops(run, "status", "0", id).strip(), "Glance itself never finishes or fails it");

            await().atMost(Duration.ofSeconds(2L * SCAN_SECONDS + 3)).until(() -> interrupted(id) != null);
            Duration seen = Duration.between(restarted, Instant.now());
            StrandedImage found = interrupted(id);
            assertEquals("importing", found.status);
            Event event = events("ImportInterrupted").stream().filter(e -> e.getMessage().contains(id)).findFirst().orElseThrow();
            System.out.println("[interrupted] reported " + seen.toMillis() + " ms after pod 1 came back (scans every " + SCAN_SECONDS
                    + "s): " + event.getMessage());

            await().atMost(TIMEOUT).until(() -> "404".equals(ops(run, "status", "0", id).strip()));
            Event deleted = events("StrandedImageDeleted").stream().filter(e -> e.getMessage().contains(id)).findFirst().orElseThrow();
            System.out.println("[interrupted] " + deleted.getMessage());
            assertTrue(!deleted.getMessage().contains("stand-in") && client.pods().inNamespace(NS).withName(NAME + "-stage-host-1").get() == null,
                    "an importing image is deleted through any pod: " + deleted.getMessage());
            await().atMost(TIMEOUT).until(() -> api().getStatus().strandedImages == null);
        } finally {
            python("pods.py", "down", run.toString());
        }
    }

    private void reportRunning(String pod, Instant startedAt) {
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(pod).endMetadata().withNewSpec()
                .addNewContainer().withName("glance-api").withImage("glance").endContainer().endSpec().build()).createOr(p -> p.update());
        client.pods().inNamespace(NS).withName(pod).editStatus(p -> {
            p.setStatus(new PodStatusBuilder().withPhase("Running").addNewContainerStatus().withName("glance-api").withNewState()
                    .withNewRunning().withStartedAt(startedAt.toString()).endRunning().endState().endContainerStatus().build());
            return p;
        });
    }

    private StrandedImage interrupted(String id) {
        GlanceAPI api = api();
        List<StrandedImage> listed = api.getStatus() == null ? null : api.getStatus().strandedImages;
        return listed == null ? null
                : listed.stream().filter(s -> s.imageId.equals(id) && "ImportInterrupted".equals(s.reason)).findFirst().orElse(null);
    }

    private GlanceAPI api() {
        return client.resources(GlanceAPI.class).inNamespace(NS).withName(NAME).get();
    }

    private List<Event> events(String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream().filter(e -> reason.equals(e.getReason())).toList();
    }

    private int sts() {
        var sts = client.apps().statefulSets().inNamespace(NS).withName(NAME).get();
        return sts == null ? -1 : sts.getSpec().getReplicas();
    }
}
