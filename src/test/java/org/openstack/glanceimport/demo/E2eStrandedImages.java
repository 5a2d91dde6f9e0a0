package org.openstack.glanceimport.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.stranded.StrandedImage;
import org.openstack.glanceimport.support.GlanceApiObjects;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.StatusConditions;
import org.openstack.glanceimport.support.e2e.E2eHarness;
import org.openstack.glanceimport.support.e2e.E2ePrometheus;
import org.openstack.glanceimport.support.e2e.E2eSetup;
import org.openstack.glanceimport.support.kube.AsUser;
import static org.openstack.glanceimport.support.e2e.E2eHarness.ops;
import static org.openstack.glanceimport.support.e2e.E2eHarness.python;

/**
 * Part of `make e2e`, with the harness's services up (-De2e.run=RUNDIR): an image staged on pod 2 when a scale-down's
 * hold times out is found stranded in real Glance's database and reported. After the grace period the operator starts a
 * stand-in pod that answers at pod 2's stage host and deletes the image through it, with real Keystone and Glance. An
 * image staged on pod 0 at the same time is left alone and still imports, across pods.
 */
@QuarkusTest
@TestProfile(E2eStrandedImages.FastScans.class)
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
@Tag("live")
class E2eStrandedImages {

    static final String NS = E2eSetup.NS;
    static final String NAME = "glance-ceph";
    static final int GRACE_SECONDS = 8;
    /** A loopback address of no StatefulSet pod (pods.py gives pod i 127.0.1.(i+1)). */
    static final String STAND_IN_IP = "127.0.1.20";
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    /** Scans every 2 s; deletes go to pod 0's address (pods.py: 127.0.1.1), as Service names do not resolve here. */
    public static class FastScans implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("glance-import.stranded-images.interval", "2s", "glance-import.stranded-images.retry-interval", "2s",
                    "glance-import.stranded-images.glance-url", "http://127.0.1.1:9292");
        }
    }

    @Inject
    @AsUser
    KubernetesClient client;

    @Test
    void anImageStagedOnARemovedPodIsReportedThenDeletedAndOneOnPod0StillImports() throws Exception {
        // before anything starts: unset fails (-De2e.prometheus=none opts out, with a warning)
        var prometheus = E2ePrometheus.fromSystemProperty();
        Path run = Path.of(System.getProperty("e2e.run")).toAbsolutePath();
        E2eSetup.apply(client, run.resolve("secrets.json"));
        client.resources(GlanceAPI.class).inNamespace(NS).withName(NAME).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"scaleDownHoldSeconds\":5,\"strandedImages\":{\"policy\":\"Delete\",\"gracePeriodSeconds\":"
                        + GRACE_SECONDS + "}}}");
        await().atMost(TIMEOUT).until(() -> sts() == 3);
        E2eHarness.podsUp(client, api(), run, "live-stranded.json");
        try {
            Path qcow2 = run.resolve("stranded.qcow2");
            ops(run, "make-qcow2", qcow2.toString(), "32", "8");
            String lost = E2eHarness.stagedOn(run, 2, "e2e-stranded-on-2", qcow2);
            String kept = E2eHarness.stagedOn(run, 0, "e2e-staged-on-0", qcow2);

            client.resources(GlanceAPI.class).inNamespace(NS).withName(NAME)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":2}}");
            // held while pod 2 holds the image, for 5 s; then the StatefulSet drops pod 2, as the harness does here
            await().atMost(TIMEOUT).until(() -> sts() == 2);
            python("pods.py", "down", run.toString(), "--only", "2");

            await().atMost(TIMEOUT).until(() -> stranded() != null && stranded().stream().anyMatch(s -> s.imageId.equals(lost)));
            StrandedImage found = stranded().stream().filter(s -> s.imageId.equals(lost)).findFirst().orElseThrow();
            System.out.println("[stranded] " + found.imageId + " " + found.status + " " + found.reason + " on " + found.stageHost
                    + " since " + found.since);
            assertEquals("uploading", found.status);
            assertEquals("PodRemoved", found.reason);
            assertTrue(found.stageHost.startsWith("http://" + NAME + "-2."), found.stageHost);
            assertTrue(stranded().stream().noneMatch(s -> s.imageId.equals(kept)), "pod 0 is live: its image is not stranded");
            var condition = StatusConditions.get(api(), "ImagesStranded");
            System.out.println("[stranded] " + condition.getStatus() + " " + condition.getReason() + ": " + condition.getMessage());
            assertTrue(events("ImageStranded").stream().anyMatch(e -> e.getMessage().contains(lost)));
            if (prometheus.isPresent()) {
                strandedAlertGoesPendingThenFiring(prometheus.get());
                everyDashboardPanelHasData(prometheus.get());
            }

            // after the grace period the operator starts a pod that answers at pod 2's stage host (Glance forwards the
            // delete of a staged image there); the harness plays the kubelet: runs it as real processes, reports it Ready
            String standIn = NAME + "-stage-host-2";
            await().atMost(TIMEOUT).until(() -> client.pods().inNamespace(NS).withName(standIn).get() != null);
            assertTrue(!Instant.now().isBefore(Instant.parse(found.since).plusSeconds(GRACE_SECONDS)), "not before the grace period");
            assertEquals("uploading", ops(run, "status", "0", lost).strip(), "nothing deleted before the stand-in answers");
            var objects = GlanceApiObjects.of(client, api());
            objects.getItems().add(client.pods().inNamespace(NS).withName(standIn).get());
            Path standInList = run.resolve("live-stand-in.json");
            Files.writeString(standInList, Serialization.asJson(objects));
            python("pods.py", "pod", run.toString(), standInList.toString(), "--name", standIn, "--ip", STAND_IN_IP);
            client.pods().inNamespace(NS).withName(standIn).editStatus(p -> {
                p.setStatus(new PodStatusBuilder().withPodIP(STAND_IN_IP).withPhase("Running")
                        .addNewCondition().withType("Ready").withStatus("True").endCondition().build());
                return p;
            });
            await().atMost(TIMEOUT).until(() -> "404".equals(ops(run, "status", "0", lost).strip()));
            Event deleted = events("StrandedImageDeleted").stream().filter(e -> e.getMessage().contains(lost)).findFirst().orElseThrow();
            System.out.println("[stranded] " + deleted.getMessage());
            assertTrue(deleted.getMessage().contains("through " + standIn), deleted.getMessage());
            // its work done, the stand-in goes (the harness stops its processes, as the kubelet would)
            await().atMost(TIMEOUT).until(() -> client.pods().inNamespace(NS).withName(standIn).get() == null);
            python("pods.py", "down", run.toString(), "--only", "2");
            await().atMost(TIMEOUT).until(() -> stranded() == null);

            assertEquals("uploading", ops(run, "status", "0", kept).strip(), "the image on pod 0 is untouched");
            String imported = ops(run, "import", "1", kept);
            assertTrue(imported.startsWith("202"), imported);
            String result = ops(run, "wait", "1", kept, "180");
            assertTrue(result.startsWith("active"), result);
            System.out.println("[stranded] " + lost + " deleted after " + GRACE_SECONDS + "s grace; " + kept
                    + " staged on pod 0 imported through pod 1: " + result.strip());
            assertNull(stranded());
        } finally {
            python("pods.py", "down", run.toString());
        }
    }

    /** The shipped alert, evaluated by a real Prometheus on the operator's metrics (its `for` shortened to 10 s by run.sh). */
    private void strandedAlertGoesPendingThenFiring(E2ePrometheus prometheus) {
        java.util.List<String> seen = new java.util.ArrayList<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            prometheus.alertState("GlanceImportImagesStranded").filter(s -> seen.isEmpty() || !seen.get(seen.size() - 1).equals(s))
                    .ifPresent(seen::add);
            return seen.contains("firing");
        });
        System.out.println("[prometheus] GlanceImportImagesStranded went " + String.join(" -> ", seen));
        assertEquals(List.of("pending", "firing"), seen, "the alert's `for` holds it pending before it fires");
    }

    /** Every panel of the shipped dashboard gets data from that Prometheus: a query that does not parse or is empty fails. */
    private void everyDashboardPanelHasData(E2ePrometheus prometheus) throws Exception {
        var queries = E2ePrometheus.panelQueries(Path.of("src/main/monitoring/grafana-dashboard.json"));
        assertTrue(queries.size() >= 8, "panels: " + queries.size());
        for (String[] q : queries) {
            var result = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> prometheus.query(q[1]),
                    r -> r.size() > 0);
            System.out.println("[prometheus] panel '" + q[0] + "': " + q[1] + " -> " + result.size() + " series");
        }
    }

    private GlanceAPI api() {
        return client.resources(GlanceAPI.class).inNamespace(NS).withName(NAME).get();
    }

    private List<StrandedImage> stranded() {
        GlanceAPI api = api();
        return api.getStatus() == null ? null : api.getStatus().strandedImages;
    }

    private List<Event> events(String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream().filter(e -> reason.equals(e.getReason())).toList();
    }

    private int sts() {
        var sts = client.apps().statefulSets().inNamespace(NS).withName(NAME).get();
        return sts == null ? -1 : sts.getSpec().getReplicas();
    }
}
