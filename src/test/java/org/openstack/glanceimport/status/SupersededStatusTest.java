package org.openstack.glanceimport.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.api.GlanceAPIStatus;

class SupersededStatusTest {

    private static final ResourceID API = new ResourceID("glance", "ns");
    private static final Instant T0 = Instant.parse("2026-12-05T08:00:00Z");

    private static StatefulSet sts(long generation, Long observed, Integer created, int wanted) {
        var b = new StatefulSetBuilder().withNewMetadata().withName("glance").withGeneration(generation).endMetadata()
                .withNewSpec().withReplicas(wanted).endSpec();
        return observed == null && created == null ? b.build()
                : b.withNewStatus().withObservedGeneration(observed).withReplicas(created).endStatus().build();
    }

    private static GlanceAPIStatus status(String readyReason, int replicas) {
        GlanceAPIStatus status = new GlanceAPIStatus();
        status.configHash = "abc";
        status.observedGeneration = 1L;
        status.replicas = replicas;
        status.readyReplicas = 0;
        boolean synced = !"WaitingForDBSync".equals(readyReason);
        Conditions.set(status, Conditions.DB_SYNC_READY, synced, synced ? "Synced" : "Running", "db-sync", 1L);
        Conditions.set(status, Conditions.PROGRESSING, true, "RollingOut", replicas + " running", 1L);
        Conditions.set(status, Conditions.READY, false, readyReason, readyReason, 1L);
        return status;
    }

    private static SupersededStatus at(Instant now) {
        return new SupersededStatus(Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aStatusWaitsWhileTheControllerHasNotAnsweredTheStatefulSet() {
        var previous = status("WaitingForDBSync", 0);
        var now = status("WaitingForPods", 0);
        SupersededStatus superseded = at(T0);
        assertEquals(Optional.of(SupersededStatus.ANSWER_WAIT), superseded.waitFor(API, previous, now, Optional.of(sts(1, null, null, 1))),
                "just created: the controller has not observed it");
        assertEquals(Optional.of(SupersededStatus.ANSWER_WAIT), superseded.waitFor(API, previous, now, Optional.of(sts(1, 1L, 0, 1))),
                "observed, its pod not created yet");
        assertEquals(Optional.empty(), superseded.waitFor(API, previous, status("WaitingForPods", 1), Optional.of(sts(1, 1L, 1, 1))),
                "the controller answered: what follows takes a kubelet");
        assertEquals(Optional.of(SupersededStatus.ANSWER_WAIT), superseded.waitFor(API, previous, now, Optional.of(sts(2, 1L, 1, 1))),
                "a new generation the controller has not observed: a fresh wait");
    }

    @Test
    void theWaitIsCountedFromTheFirstStatusThatWaited() {
        var previous = status("WaitingForDBSync", 0);
        var now = status("WaitingForPods", 0);
        Optional<StatefulSet> unanswered = Optional.of(sts(1, null, null, 1));
        MutableClock clock = new MutableClock(T0);
        SupersededStatus superseded = new SupersededStatus(clock);
        assertEquals(Optional.of(Duration.ofSeconds(10)), superseded.waitFor(API, previous, now, unanswered));
        clock.now = T0.plusSeconds(4);
        assertEquals(Optional.of(Duration.ofSeconds(6)), superseded.waitFor(API, previous, now, unanswered));
        clock.now = T0.plusSeconds(10);
        assertEquals(Optional.empty(), superseded.waitFor(API, previous, now, unanswered), "due: the controller did not answer");
        clock.now = T0.plusSeconds(11);
        assertEquals(Optional.of(Duration.ofSeconds(10)), superseded.waitFor(API, previous, now, unanswered),
                "a later change waits afresh");
        superseded.retain(Set.of());
        clock.now = T0.plusSeconds(30);
        assertEquals(Optional.of(Duration.ofSeconds(10)), superseded.waitFor(API, previous, now, unanswered),
                "a deleted GlanceAPI's record is gone");
    }

    @Test
    void decisionsAndNewsAreWrittenAtOnce() {
        var previous = status("WaitingForDBSync", 0);
        Optional<StatefulSet> unanswered = Optional.of(sts(1, null, null, 1));
        SupersededStatus superseded = at(T0);
        assertEquals(Optional.empty(), superseded.waitFor(API, null, status("WaitingForPods", 0), unanswered), "the first status");

        var held = status("WaitingForPods", 0);
        held.scaleDownHeldSince = T0.toString();
        assertEquals(Optional.empty(), superseded.waitFor(API, previous, held, unanswered), "a hold's start");

        var newGeneration = status("WaitingForPods", 0);
        newGeneration.observedGeneration = 2L;
        assertEquals(Optional.empty(), superseded.waitFor(API, previous, newGeneration, unanswered), "a spec change observed");

        var newConfig = status("WaitingForPods", 0);
        newConfig.configHash = "def";
        assertEquals(Optional.empty(), superseded.waitFor(API, previous, newConfig, unanswered), "a new configuration");

        var stranded = status("WaitingForPods", 0);
        Conditions.set(stranded, "ImagesStranded", true, "DeleteFailed", "Not deleted", 1L);
        assertEquals(Optional.empty(), superseded.waitFor(API, previous, stranded, unanswered),
                "a condition announced by an Event: the next reconcile compares against it");

        var syncFailed = status("DBSyncFailed", 0);
        Conditions.set(syncFailed, Conditions.DB_SYNC_READY, false, "DBSyncFailed", "Job failed", 1L);
        assertEquals(Optional.empty(), superseded.waitFor(API, previous, syncFailed, unanswered), "db-sync failed");

        assertEquals(Optional.empty(), superseded.waitFor(API, previous, status("WaitingForPods", 0), Optional.empty()),
                "no StatefulSet: nothing will answer");
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
