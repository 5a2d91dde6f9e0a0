package org.openstack.glanceimport.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.GlanceAPIStatus;
import org.openstack.glanceimport.api.GlanceImportStaging;
import org.openstack.glanceimport.api.GlanceImportStagingSpec;
import org.openstack.glanceimport.api.autoscaling.Autoscaling;
import org.openstack.glanceimport.api.stores.BackendType;
import org.openstack.glanceimport.api.stores.FileBackend;
import org.openstack.glanceimport.api.stores.Store;
import org.openstack.glanceimport.autoscaling.ImportAutoscaler;
import org.openstack.glanceimport.autoscaling.ScaleDownGuard;
import org.openstack.glanceimport.config.RenderedConfig;
import org.openstack.glanceimport.glance.StagedImageScans;
import org.openstack.glanceimport.glance.StagedImages;
import org.openstack.glanceimport.naming.Names;

/** The plan of a reconcile from the spec, the last scan and the caches: no API server, no database. */
class PlannerTest {

    private static final Instant NOW = Instant.parse("2026-12-06T22:00:00Z");
    private static final ScaleDownGuard.StagedOn NOTHING_STAGED = hosts -> List.of();
    private static final ScaleDownGuard.StagedOn UNREACHABLE = hosts -> {
        throw new java.sql.SQLException("connection refused");
    };

    /** A GlanceAPI on a shared file store: the pods are the spec's or autoscaling's. */
    private static GlanceAPI api(int replicas) {
        GlanceAPI api = podLocal(replicas);
        api.getSpec().stores = List.of(new Store("file", BackendType.file));
        api.getSpec().stores.get(0).file = new FileBackend("images");
        return api;
    }

    /** A GlanceAPI on the default store: a file store on each pod's own claim. */
    private static GlanceAPI podLocal(int replicas) {
        GlanceAPI api = new GlanceAPI();
        api.setMetadata(new ObjectMetaBuilder().withName("g").withNamespace("ns").withGeneration(3L).withUid("u").build());
        api.setSpec(new GlanceAPISpec());
        api.getSpec().replicas = replicas;
        api.getSpec().stagingRef = "policy";
        return api;
    }

    private static RenderedConfig rendered(String size) {
        GlanceImportStaging staging = new GlanceImportStaging();
        staging.setMetadata(new ObjectMetaBuilder().withName("policy").withNamespace("ns").build());
        staging.setSpec(new GlanceImportStagingSpec());
        staging.getSpec().storage.size = new Quantity(size);
        return new RenderedConfig(staging, Map.of(), Map.of(), "hash", "image", "sync", null);
    }

    private static Planner.Observed seen(Optional<StagedImageScans.Scan> scan, int running, ScaleDownGuard.StagedOn stagedOn,
            Map<String, PersistentVolumeClaim> claims) {
        return new Planner.Observed(scan, running, claims::get, claim -> true, stagedOn, Map.of(2, "http://g-2.g-headless.ns.svc:9292"),
                true, false, null, List.of(), () -> { throw new AssertionError("no pod lacks the drain: Glance is not asked"); }, NOW);
    }

    private static StagedImageScans.Scan scan(GlanceAPI api, int imagesOnPod0, long bytesEach) {
        List<StagedImages.Staged> staged = new ArrayList<>();
        for (int i = 0; i < imagesOnPod0; i++) {
            staged.add(new StagedImages.Staged("img-" + i, "uploading", Names.selfReferenceUrl(api, 0), NOW, null, null, null, bytesEach));
        }
        return new StagedImageScans.Scan(staged, 0, Map.of(), null, null);
    }

    @Test
    void withoutAutoscalingThePodsAreTheSpecsAndTheRestPassesThrough() {
        GlanceAPI api = api(2);
        RenderedConfig rendered = rendered("20Gi");
        ReconcilePlan plan = Planner.plan(api, rendered, seen(Optional.empty(), 0, UNREACHABLE, Map.of()));

        assertEquals(2, plan.target());
        assertEquals(2, plan.replicas(), "a scale-up asks nothing of the database");
        assertEquals(ScaleDownGuard.State.NONE, plan.hold().state());
        assertEquals(rendered, plan.rendered());
        assertEquals(Map.of(2, "http://g-2.g-headless.ns.svc:9292"), plan.standIns());
        assertTrue(plan.sccAdmission());
        assertEquals(Quantity.getAmountInBytes(new Quantity("20Gi")), plan.stagingBytes());
        assertNull(plan.autoscaling().status(), "no status.autoscaling without spec.autoscaling");
        assertTrue(plan.grownClaims().isEmpty());
    }

    @Test
    void aScaleDownIsHeldWhileImagesAreStagedOnThePodsItRemoves() {
        GlanceAPI api = api(1);
        List<Set<String>> asked = new ArrayList<>();
        ScaleDownGuard.StagedOn staged = hosts -> {
            asked.add(hosts);
            return List.of(new StagedImages.Staged("img-1", "uploading", Names.selfReferenceUrl(api, 2), NOW, null, null, null));
        };
        ReconcilePlan plan = Planner.plan(api, rendered("10Gi"), seen(Optional.empty(), 3, staged, Map.of()));

        assertEquals(1, plan.target());
        assertEquals(3, plan.replicas(), "held at what runs");
        assertEquals(List.of(Set.of(Names.selfReferenceUrl(api, 1), Names.selfReferenceUrl(api, 2))), asked,
                "asked about the removed pods only");
        assertEquals(ScaleDownGuard.State.HELD, plan.hold().state());
        assertEquals("ImagesStaged", plan.hold().reason());
        assertTrue(plan.hold().blocking().contains("img-1 (uploading) on g-2"), plan.hold().blocking());
        assertEquals(NOW.toString(), plan.hold().since().toString());
        assertEquals(ScaleDownGuard.RECHECK, plan.hold().recheck());
    }

    @Test
    void aHeldScaleDownProceedsOnceItsTimeIsUpOrNothingIsStaged() {
        GlanceAPI api = api(1);
        api.setStatus(new GlanceAPIStatus());
        api.getStatus().scaleDownHeldSince = NOW.minusSeconds(api.getSpec().scaleDownHoldSeconds + 1).toString();
        ReconcilePlan timedOut = Planner.plan(api, rendered("10Gi"), seen(Optional.empty(), 2, UNREACHABLE, Map.of()));
        assertEquals(1, timedOut.replicas());
        assertEquals(ScaleDownGuard.State.TIMED_OUT, timedOut.hold().state());
        assertEquals("StagingCheckFailed", timedOut.hold().reason(), "a database that cannot be asked holds too, until the timeout");

        ReconcilePlan free = Planner.plan(api, rendered("10Gi"), seen(Optional.empty(), 2, NOTHING_STAGED, Map.of()));
        assertEquals(1, free.replicas());
        assertEquals(ScaleDownGuard.State.NONE, free.hold().state(), "nothing was held before: no release to announce");
    }

    @Test
    void autoscalingFollowsTheLastScanAndGrowsAFullClaim() {
        GlanceAPI api = api(1);
        Autoscaling autoscaling = new Autoscaling();
        autoscaling.minReplicas = 1;
        autoscaling.maxReplicas = 3;
        autoscaling.importsPerPod = 2;
        autoscaling.maxStagingSize = new Quantity("40Gi");
        api.getSpec().autoscaling = autoscaling;
        long nineGi = 9L << 30;
        PersistentVolumeClaim claim = new PersistentVolumeClaimBuilder().withNewMetadata().withName(Names.stagingClaim(api, 0))
                .endMetadata().withNewSpec().withStorageClassName("grows").withNewResources()
                .addToRequests("storage", new Quantity("10Gi")).endResources().endSpec().build();

        ReconcilePlan plan = Planner.plan(api, rendered("10Gi"),
                seen(Optional.of(scan(api, 5, nineGi / 5)), 1, NOTHING_STAGED, Map.of(claim.getMetadata().getName(), claim)));

        assertEquals(3, plan.target(), "ceil(5 / 2) pods");
        assertEquals(3, plan.replicas());
        assertEquals(ImportAutoscaler.LOAD, plan.autoscaling().status().reason);
        assertEquals(5, plan.autoscaling().load().orElseThrow().inFlightByPod().get(0));
        assertFalse(plan.grownClaims().isEmpty(), "90% of a 10Gi claim is past the 80% watermark: it grows");
        assertTrue(plan.autoscaling().recheck().orElseThrow().compareTo(Duration.ofSeconds(2)) <= 0,
                "looks again soon to report the grown claim");
    }

    @Test
    void withoutAScanAutoscalingKeepsWhatRunsAndSaysWhy() {
        GlanceAPI api = api(1);
        Autoscaling autoscaling = new Autoscaling();
        autoscaling.maxReplicas = 3;
        api.getSpec().autoscaling = autoscaling;
        ReconcilePlan plan = Planner.plan(api, rendered("10Gi"), seen(Optional.empty(), 2, NOTHING_STAGED, Map.of()));
        assertTrue(plan.autoscaling().load().isEmpty());
        assertTrue(plan.autoscaling().status().message.contains("no look at Glance's database yet"), plan.autoscaling().status().message);
    }

    @Test
    void aPodLocalFileStoreAddsNoPodAndRemovesNoneThatRuns() {
        GlanceAPI api = podLocal(3);
        RenderedConfig rendered = rendered("20Gi");
        ReconcilePlan fresh = Planner.plan(api, rendered, seen(Optional.empty(), 1, NOTHING_STAGED, Map.of()));
        assertEquals(1, fresh.target());
        assertEquals(1, fresh.replicas());
        assertTrue(fresh.localFiles().limited());
        assertTrue(fresh.localFiles().message().contains("spec.replicas asks for 3 pods"), fresh.localFiles().message());
        assertTrue(fresh.localFiles().message().contains("spec.stores[0].file.claimName"), fresh.localFiles().message());

        // pods an earlier release started on such a store keep running (a scale-down would strand their images)
        assertEquals(2, Planner.plan(podLocal(3), rendered, seen(Optional.empty(), 2, NOTHING_STAGED, Map.of())).target());
        assertEquals(1, Planner.plan(podLocal(3), rendered, seen(Optional.empty(), 0, NOTHING_STAGED, Map.of())).target());

        GlanceAPI shared = api(3);
        ReconcilePlan plan = Planner.plan(shared, rendered, seen(Optional.empty(), 1, NOTHING_STAGED, Map.of()));
        assertEquals(3, plan.target());
        assertFalse(plan.localFiles().limited());
        assertNull(plan.localFiles().message());
    }
}
