package org.openstack.glanceimport.autoscaling;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.autoscaling.Autoscaling;
import org.openstack.glanceimport.api.autoscaling.AutoscalingStatus;

class ImportAutoscalerTest {

    private static final Instant T0 = Instant.parse("2026-12-05T06:00:00Z");

    static Autoscaling spec(int min, int max, int perPod, int window) {
        Autoscaling spec = new Autoscaling();
        spec.minReplicas = min;
        spec.maxReplicas = max;
        spec.importsPerPod = perPod;
        spec.scaleDownStabilizationSeconds = window;
        return spec;
    }

    static ImportLoad load(int onPod0, int uploading) {
        ImportLoad.Builder b = new ImportLoad.Builder();
        for (int i = 0; i < onPod0; i++) {
            b.add(0, 1);
        }
        return b.build(uploading);
    }

    private static ImportAutoscaler.Decision decide(Autoscaling spec, AutoscalingStatus previous, int running, ImportLoad load,
            Instant now) {
        return ImportAutoscaler.decide(spec, previous, running, Optional.ofNullable(load), "no look yet", StagingPressure.Outcome.NONE,
                now);
    }

    @Test
    void aBurstScalesUpAtOnceAndNoFurtherThanMax() {
        Autoscaling spec = spec(1, 3, 2, 300);
        var idle = decide(spec, null, 1, ImportLoad.idle(), T0);
        assertEquals(1, idle.desired());
        assertEquals(ImportAutoscaler.AT_MINIMUM, idle.status().reason);

        var five = decide(spec, idle.status(), 1, load(3, 2), T0.plusSeconds(10));
        assertEquals(3, five.desired(), "ceil(5 / 2)");
        assertEquals(ImportAutoscaler.LOAD, five.status().reason);
        assertEquals(5, five.status().importsInFlight);
        assertEquals(T0.plusSeconds(10).toString(), five.status().lastScaleTime);

        var twelve = decide(spec, five.status(), 3, load(12, 0), T0.plusSeconds(20));
        assertEquals(3, twelve.desired());
        assertEquals(ImportAutoscaler.AT_MAXIMUM, twelve.status().reason);
        assertTrue(twelve.status().message.contains("would want 6 pods; maxReplicas is 3"), twelve.status().message);
        assertEquals(T0.plusSeconds(10).toString(), twelve.status().lastScaleTime, "no change, no new scale time");
    }

    @Test
    void aScaleDownWaitsOutTheWindowAndGoesToTheMostWantedInIt() {
        Autoscaling spec = spec(1, 4, 2, 300);
        AutoscalingStatus at4 = decide(spec, null, 4, load(8, 0), T0).status();
        assertEquals(4, at4.desiredReplicas);

        var lower = decide(spec, at4, 4, load(2, 0), T0.plusSeconds(10));
        assertEquals(4, lower.desired(), "not before the window is over");
        assertEquals(ImportAutoscaler.STABILIZING, lower.status().reason);
        assertEquals(Optional.of(Duration.ofSeconds(300).plusMillis(500)), lower.recheck());
        assertEquals(1, lower.status().lowerRecommendation);

        var pause = decide(spec, lower.status(), 4, load(5, 0), T0.plusSeconds(100));
        assertEquals(4, pause.desired());
        assertEquals(3, pause.status().lowerRecommendation, "a rise within the window is remembered");
        assertEquals(T0.plusSeconds(10).toString(), pause.status().lowerSince, "the window does not restart");

        var after = decide(spec, pause.status(), 4, ImportLoad.idle(), T0.plusSeconds(311));
        assertEquals(3, after.desired(), "to the most wanted in the window, not to the minimum at once");
        assertNull(after.status().lowerSince);

        var again = decide(spec, after.status(), 3, ImportLoad.idle(), T0.plusSeconds(320));
        assertEquals(3, again.desired());
        var done = decide(spec, again.status(), 3, ImportLoad.idle(), T0.plusSeconds(621));
        assertEquals(1, done.desired());
    }

    @Test
    void aRiseToTheCurrentCountEndsTheWindow() {
        Autoscaling spec = spec(1, 3, 1, 60);
        AutoscalingStatus at3 = decide(spec, null, 3, load(3, 0), T0).status();
        AutoscalingStatus waiting = decide(spec, at3, 3, load(1, 0), T0.plusSeconds(5)).status();
        assertEquals(ImportAutoscaler.STABILIZING, waiting.reason);
        AutoscalingStatus back = decide(spec, waiting, 3, load(3, 0), T0.plusSeconds(10)).status();
        assertNull(back.lowerSince);
        assertEquals(3, decide(spec, back, 3, load(1, 0), T0.plusSeconds(61)).desired(), "a new window began at the fall");
    }

    @Test
    void anUnknownLoadKeepsWhatRunsWithinTheLimits() {
        Autoscaling spec = spec(2, 3, 2, 0);
        var first = decide(spec, null, 5, null, T0);
        assertEquals(3, first.desired(), "what the StatefulSet ran, brought within the limits");
        assertEquals(ImportAutoscaler.LOAD_UNKNOWN, first.status().reason);
        assertTrue(first.status().message.contains("no look yet"), first.status().message);
        assertNull(first.status().importsInFlight);
    }

    @Test
    void stagingPressureAddsOnePodOnlyWhileEveryPodIsFull() {
        Autoscaling spec = spec(1, 3, 10, 0);
        ImportLoad full = new ImportLoad(Map.of(0, 1), Map.of(0, 900L << 20), 0);
        StagingPressure.Outcome pressure = StagingPressure.assess(spec, full, 1, i -> BigDecimal.valueOf(1L << 30), i -> false);
        assertTrue(pressure.scaleOut(), pressure.summary());
        var out = ImportAutoscaler.decide(spec, null, 1, Optional.of(full), null, pressure, T0);
        assertEquals(2, out.desired());
        assertEquals(ImportAutoscaler.STAGING_PRESSURE, out.status().reason);
        assertTrue(out.status().stagingPressure.contains("pod 0 has 900Mi staged of 1024Mi: no maxStagingSize"), out.status().stagingPressure);

        // the new pod has room: no further pod, however long the images stay
        StagingPressure.Outcome onePodFull = StagingPressure.assess(spec, full, 2, i -> BigDecimal.valueOf(1L << 30), i -> false);
        assertTrue(onePodFull.any() && !onePodFull.scaleOut());
        assertEquals(2, ImportAutoscaler.decide(spec, out.status(), 2, Optional.of(full), null, onePodFull, T0.plusSeconds(10))
                .desired());
    }

    @Test
    void aFullPodsClaimGrowsWithinMaxStagingSizeWhereItsClassAllows() {
        Autoscaling spec = spec(1, 3, 2, 0);
        spec.maxStagingSize = new Quantity("3Gi");
        ImportLoad load = new ImportLoad(Map.of(0, 1, 1, 1), Map.of(0, 850L << 20, 1, 100L << 20), 0);
        StagingPressure.Outcome grow = StagingPressure.assess(spec, load, 2, i -> BigDecimal.valueOf(1L << 30), i -> true);
        assertEquals(Map.of(0, new Quantity("2048", "Mi")), grow.grow(), "doubled: pod 1 is below the watermark");
        assertTrue(!grow.scaleOut());

        StagingPressure.Outcome capped = StagingPressure.assess(spec, load, 1, i -> BigDecimal.valueOf(2600L << 20), i -> true);
        assertEquals(Map.of(), capped.grow(), "850Mi of 2600Mi is below 80%");
        ImportLoad heavy = new ImportLoad(Map.of(0, 3), Map.of(0, 2500L << 20), 0);
        assertEquals(Map.of(0, new Quantity("3072", "Mi")),
                StagingPressure.assess(spec, heavy, 1, i -> BigDecimal.valueOf(2600L << 20), i -> true).grow(), "no more than max");
        StagingPressure.Outcome atMax = StagingPressure.assess(spec, heavy, 1, i -> BigDecimal.valueOf(3L << 30), i -> true);
        assertTrue(atMax.scaleOut() && atMax.summary().contains("at maxStagingSize 3Gi"), atMax.summary());
        StagingPressure.Outcome fixedClass = StagingPressure.assess(spec, heavy, 1, i -> BigDecimal.valueOf(2600L << 20), i -> false);
        assertTrue(fixedClass.scaleOut() && fixedClass.summary().contains("does not allow expansion"), fixedClass.summary());
    }
}
