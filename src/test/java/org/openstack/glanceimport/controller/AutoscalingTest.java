package org.openstack.glanceimport.controller;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceImportStaging;
import org.openstack.glanceimport.api.autoscaling.Autoscaling;
import org.openstack.glanceimport.api.autoscaling.AutoscalingStatus;
import org.openstack.glanceimport.autoscaling.ImportAutoscaler;
import org.openstack.glanceimport.claims.ClaimSizes;
import org.openstack.glanceimport.monitoring.OperatorMetrics;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.StatusConditions;
import org.openstack.glanceimport.support.glance.GlanceTables;
import org.openstack.glanceimport.support.glance.H2GlanceDatabase;
import org.openstack.glanceimport.support.kube.AsUser;

/**
 * spec.autoscaling on the operator as it runs, with Glance's tables in H2 (real Glance and MariaDB in make e2e,
 * E2eAutoscaling). The database is asked every second here; production asks every 10 s while autoscaling is on.
 */
@QuarkusTest
@TestProfile(AutoscalingTest.FastScans.class)
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
class AutoscalingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    public static class FastScans implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("glance-import.autoscaling.interval", "1s", "glance-import.stranded-images.retry-interval", "1s");
        }
    }

    @Inject
    @AsUser
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    @Test
    void podsFollowTheLoadAndTheScaleDownWaitsForAStagedImage() throws Exception {
        String ns = "autoscale";
        GlanceTables db = setUp(ns, a -> {
            a.minReplicas = 1;
            a.maxReplicas = 3;
            a.importsPerPod = 2;
            a.scaleDownStabilizationSeconds = 3;
        }, staging -> { });
        await().atMost(TIMEOUT).until(() -> reason(ns, ImportAutoscaler.AT_MINIMUM));
        assertEquals(1, sts(ns));

        Instant now = Instant.now();
        db.uploadStarted("up-1", now);
        db.uploadStarted("up-2", now);
        db.staged("staged-0", "uploading", stageHost(ns, 0), now, 3L << 20);
        db.staged("importing-0", "importing", stageHost(ns, 0), now, 4L << 20);
        db.staged("importing-1", "importing", stageHost(ns, 1), now, 5L << 20);
        await().atMost(TIMEOUT).until(() -> sts(ns) == 3 && api(ns).getStatus().autoscaling.desiredReplicas == 3);
        AutoscalingStatus up = api(ns).getStatus().autoscaling;
        assertEquals(3, up.desiredReplicas);
        assertEquals(5, up.importsInFlight);
        assertEquals(ImportAutoscaler.LOAD, up.reason);
        assertTrue(up.message.startsWith("5 import(s) in flight (2 uploading), 2 per pod: 3 pod(s)"), up.message);
        assertEquals(1, api(ns).getSpec().replicas, "the user's spec is never written");
        assertTrue(events(ns, "AutoscaledUp").stream().anyMatch(e -> e.getMessage().startsWith("Autoscaling wants 3 pod(s), was 1")));
        await().atMost(TIMEOUT).until(() -> gauge(OperatorMetrics.IMPORTS_IN_FLIGHT, ns, null) == 5.0);
        assertEquals(2.0, gauge(OperatorMetrics.POD_IMPORTS_IN_FLIGHT, ns, "glance-0"));
        assertEquals(7.0 * (1 << 20), gauge(OperatorMetrics.POD_STAGED_BYTES, ns, "glance-0"));
        assertEquals(3.0, gauge("glance_import_glanceapi_desired_replicas", ns, null));

        // the burst is over but one image stays staged on pod 2: the window passes, then the hold keeps pod 2
        for (String id : List.of("up-1", "up-2", "staged-0", "importing-0", "importing-1")) {
            db.setStatus(id, "active");
        }
        db.staged("left-on-2", "uploading", stageHost(ns, 2), Instant.now(), 1L << 20);
        await().atMost(TIMEOUT).until(() -> reason(ns, ImportAutoscaler.STABILIZING));
        assertEquals(3, sts(ns), "not before the stabilisation window is over");
        await().atMost(TIMEOUT).until(() -> api(ns).getStatus().autoscaling.desiredReplicas == 1);
        await().atMost(TIMEOUT).until(() -> blocked(ns) != null);
        assertTrue(blocked(ns).getMessage().contains("left-on-2 (uploading) on glance-2"), blocked(ns).getMessage());
        assertEquals(3, sts(ns), "the hold keeps the pod the staged image is on");
        assertTrue(events(ns, "AutoscaledDown").stream().anyMatch(e -> e.getMessage().startsWith("Autoscaling wants 1 pod(s), was 3")));

        db.setStatus("left-on-2", "active");
        await().atMost(TIMEOUT).until(() -> sts(ns) == 1);
        await().atMost(TIMEOUT).until(() -> blocked(ns) == null);
    }

    @Test
    void stagingPressureGrowsTheFullPodsClaimThenAddsAPodAtMaxStagingSize() throws Exception {
        String ns = "pressure";
        client.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata().withName("growable").endMetadata()
                .withProvisioner("example.com/csi").withAllowVolumeExpansion(true).build()).create();
        GlanceTables db = setUp(ns, a -> {
            a.minReplicas = 1;
            a.maxReplicas = 2;
            a.importsPerPod = 10;
            a.scaleDownStabilizationSeconds = 0;
            a.maxStagingSize = new Quantity("3Gi");
        }, staging -> {
            staging.getSpec().storage.size = new Quantity("1Gi");
            staging.getSpec().storage.storageClassName = "growable";
        });
        await().atMost(TIMEOUT).until(() -> reason(ns, ImportAutoscaler.AT_MINIMUM));

        db.staged("big-1", "uploading", stageHost(ns, 0), Instant.now(), 900L << 20);
        await().atMost(TIMEOUT).until(() -> claimBytes(ns, 0).equals(BigDecimal.valueOf(2L << 30)));
        // announced by the status writer once the workflow that grew the claim has run
        await().atMost(TIMEOUT).untilAsserted(() -> assertTrue(events(ns, ImportAutoscaler.STAGING_PRESSURE).stream()
                .anyMatch(e -> "Warning".equals(e.getType())
                        && e.getMessage().equals("pod 0 has 900Mi staged of 1024Mi: growing its claim to 2048Mi")),
                events(ns, ImportAutoscaler.STAGING_PRESSURE).toString()));
        await().atMost(TIMEOUT).until(() -> api(ns).getStatus().autoscaling.stagingPressure == null);
        assertEquals(1, sts(ns), "room on the full pod, not a new pod");
        Condition staging = StatusConditions.get(api(ns), Conditions.STAGING_READY);
        assertEquals("True", staging.getStatus());
        assertTrue(!"ShrinkRefused".equals(staging.getReason()), "a claim grown under pressure is not one to shrink: " + staging.getMessage());

        db.staged("big-2", "uploading", stageHost(ns, 0), Instant.now(), 1100L << 20);
        await().atMost(TIMEOUT).until(() -> claimBytes(ns, 0).equals(BigDecimal.valueOf(3L << 30)));
        db.staged("big-3", "uploading", stageHost(ns, 0), Instant.now(), 600L << 20);
        await().atMost(TIMEOUT).until(() -> sts(ns) == 2);
        await().atMost(TIMEOUT).untilAsserted(() -> assertTrue(events(ns, ImportAutoscaler.STAGING_PRESSURE).stream()
                .anyMatch(e -> e.getMessage().equals(
                        "pod 0 has 2600Mi staged of 3072Mi: its claim is at maxStagingSize 3Gi; every pod is full: adding a pod")),
                events(ns, ImportAutoscaler.STAGING_PRESSURE).toString()));
        // pod 1 has room: the pressure on pod 0 keeps the two pods (3 images want 1) and adds no third
        await().during(Duration.ofSeconds(3)).atMost(TIMEOUT).until(() -> sts(ns) == 2);
        assertEquals(ImportAutoscaler.STAGING_PRESSURE, api(ns).getStatus().autoscaling.reason);
        assertEquals(BigDecimal.valueOf(1L << 30), claimBytes(ns, 1));
    }

    /**
     * Switched on for a GlanceAPI that ran without it: its next scan was scheduled 5 minutes away (the interval without
     * autoscaling); the load must be seen at the autoscaling interval from then on, not after those 5 minutes.
     */
    @Test
    void switchingAutoscalingOnScansAtItsIntervalFromThen() throws Exception {
        String ns = "switched";
        GlanceTables db = setUp(ns, null, staging -> { });
        // the first scan is done (its per-pod figures are exported): the next is 5 minutes away
        await().atMost(TIMEOUT).until(() -> gauge(OperatorMetrics.POD_STAGED_BYTES, ns, "glance-0") == 0.0);
        Instant now = Instant.now();
        for (int i = 0; i < 4; i++) {
            db.uploadStarted("switched-" + i, now);
        }
        client.resources(GlanceAPI.class).inNamespace(ns).withName("glance").patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"autoscaling\":{\"maxReplicas\":2}}}");
        // the status is written after the StatefulSet, in the same reconcile
        await().atMost(Duration.ofSeconds(15)).until(() -> sts(ns) == 2 && api(ns).getStatus().autoscaling != null
                && Integer.valueOf(4).equals(api(ns).getStatus().autoscaling.importsInFlight));
    }

    private GlanceTables setUp(String ns, Consumer<Autoscaling> autoscaling, Consumer<GlanceImportStaging> staging) throws Exception {
        GlanceTables db = GlanceTables.create("glance_" + ns);
        Samples.apply(client, ns, "minimal.yaml", item -> true, item -> {
            if (item instanceof Secret s && s.getMetadata().getName().equals("glance-db")) {
                s.getStringData().putAll(Map.of("host", ns + H2GlanceDatabase.HOST_SUFFIX, "database", "glance_" + ns,
                        "username", GlanceTables.USER, "password", GlanceTables.PASSWORD));
            } else if ("GlanceAPI".equals(item.getKind())) {
                GlanceAPI api = Samples.onSharedClaim(client, ns, convert(item, GlanceAPI.class));
                if (autoscaling != null) {
                    api.getSpec().autoscaling = new Autoscaling();
                    autoscaling.accept(api.getSpec().autoscaling);
                }
                api.getSpec().scaleDownHoldSeconds = 600;
                return api;
            } else if ("GlanceImportStaging".equals(item.getKind())) {
                GlanceImportStaging policy = convert(item, GlanceImportStaging.class);
                staging.accept(policy);
                return policy;
            }
            return item;
        });
        await().atMost(TIMEOUT).until(() -> sts(ns) >= 1);
        return db;
    }

    /** The client loads custom resources as generic ones. */
    private static <T> T convert(Object item, Class<T> type) {
        return Serialization.unmarshal(Serialization.asJson(item), type);
    }

    private GlanceAPI api(String ns) {
        return client.resources(GlanceAPI.class).inNamespace(ns).withName("glance").get();
    }

    private boolean reason(String ns, String reason) {
        GlanceAPI api = api(ns);
        return api.getStatus() != null && api.getStatus().autoscaling != null && reason.equals(api.getStatus().autoscaling.reason);
    }

    private String stageHost(String ns, int ordinal) {
        return Names.selfReferenceUrl(api(ns), ordinal);
    }

    private int sts(String ns) {
        var sts = client.apps().statefulSets().inNamespace(ns).withName("glance").get();
        return sts == null ? -1 : sts.getSpec().getReplicas();
    }

    private BigDecimal claimBytes(String ns, int ordinal) {
        var claim = client.persistentVolumeClaims().inNamespace(ns).withName("staging-glance-" + ordinal).get();
        return claim == null ? BigDecimal.ZERO : ClaimSizes.requested(claim);
    }

    private Condition blocked(String ns) {
        return StatusConditions.of(api(ns), Conditions.SCALE_DOWN_BLOCKED).filter(c -> "True".equals(c.getStatus())).orElse(null);
    }

    private List<Event> events(String ns, String reason) {
        return client.v1().events().inNamespace(ns).list().getItems().stream().filter(e -> reason.equals(e.getReason())).toList();
    }

    private double gauge(String name, String ns, String pod) {
        var search = registry.find(name).tag("namespace", ns).tag("glanceapi", "glance");
        var g = (pod == null ? search : search.tag("pod", pod)).gauge();
        return g == null ? -1 : g.value();
    }
}
