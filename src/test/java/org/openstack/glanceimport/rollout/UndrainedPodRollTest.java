package org.openstack.glanceimport.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

import org.junit.jupiter.api.Test;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.GlanceAPIStatus;
import org.openstack.glanceimport.api.RollHold;
import org.openstack.glanceimport.glance.StagedImages;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.pod.ImportDrain;

/** Which pod a roll lets go next, given the pods in the cache and what Glance runs: no API server, no database. */
class UndrainedPodRollTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final UndrainedPodRoll.Work UNASKED = () -> {
        throw new AssertionError("Glance is asked only for the next pod without the drain, once the pods above are Ready");
    };

    private static GlanceAPI api() {
        GlanceAPI api = new GlanceAPI();
        api.setMetadata(new ObjectMetaBuilder().withName("g").withNamespace("ns").withGeneration(2L).build());
        api.setSpec(new GlanceAPISpec());
        return api;
    }

    /** A Ready glance-api pod as the StatefulSet made it: from 0.1.0's template (no hook) or this release's. */
    private static Pod pod(GlanceAPI api, int ordinal, boolean drained) {
        return new PodBuilder().withNewMetadata().withName(Names.pod(api, ordinal)).withNamespace("ns").endMetadata()
                .withNewSpec().addNewContainer().withName(Names.GLANCE_API_CONTAINER).withLifecycle(drained ? ImportDrain.preStop(api) : null)
                .endContainer().endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
    }

    private static Pod starting(Pod pod) {
        return new PodBuilder(pod).editStatus().editFirstCondition().withStatus("False").endCondition().endStatus().build();
    }

    private static UndrainedPodRoll.Work importing(GlanceAPI api, int uploads, int... ordinals) {
        List<StagedImages.Staged> staged = new ArrayList<>();
        for (int ordinal : ordinals) {
            staged.add(new StagedImages.Staged("img-" + ordinal, "importing", Names.selfReferenceUrl(api, ordinal), NOW));
        }
        // staged on pod 2, waiting for its import: the new pod mounts the same claim, nothing is lost
        staged.add(new StagedImages.Staged("waiting", "uploading", Names.selfReferenceUrl(api, 2), NOW));
        return () -> new StagedImages.Load(staged, uploads);
    }

    @Test
    void undrainedPodsGoOneAtATimeEachOnceGlanceShowsItIdle() {
        GlanceAPI api = api();
        UndrainedPodRoll.Work work = importing(api, 0, 0, 1);
        UndrainedPodRoll.Decision first = UndrainedPodRoll.decide(api, List.of(pod(api, 0, false), pod(api, 1, false), pod(api, 2, false)), 3,
                work, NOW);
        assertEquals(UndrainedPodRoll.State.NONE, first.state());
        assertEquals(2, first.partition(), "pod 2 works on nothing: it goes; pods 1 and 0 keep their template");

        // pod 2 replaced but not Ready yet: pod 1 is not asked about, nor let go
        List<Pod> rolling = List.of(pod(api, 0, false), pod(api, 1, false), starting(pod(api, 2, true)));
        assertEquals(2, UndrainedPodRoll.decide(api, rolling, 3, UNASKED, NOW).partition());
        assertEquals(2, UndrainedPodRoll.decide(api, List.of(pod(api, 0, false), pod(api, 1, false)), 3, UNASKED, NOW).partition(),
                "pod 2 not in the cache yet");

        List<Pod> next = List.of(pod(api, 0, false), pod(api, 1, false), pod(api, 2, true));
        UndrainedPodRoll.Decision held = UndrainedPodRoll.decide(api, next, 3, work, NOW);
        assertEquals(UndrainedPodRoll.State.HELD, held.state());
        assertEquals(2, held.partition(), "pod 1 imports: it keeps its template");
        assertEquals("g-1", held.hold().pod);
        assertEquals("imports of img-1", held.blocking());
        assertEquals(NOW.toString(), held.hold().since);
        assertEquals(NOW.plusSeconds(540).toString(), held.hold().until, "the default importDrainSeconds");
        assertEquals(UndrainedPodRoll.RECHECK, held.recheck());

        assertEquals(1, UndrainedPodRoll.decide(api, next, 3, importing(api, 0, 0), NOW).partition(), "pod 1's import ended");
    }

    @Test
    void nothingHeldOncePodsHaveTheDrainOrWithoutTheDrainAskedFor() {
        GlanceAPI api = api();
        List<Pod> drained = List.of(pod(api, 0, true), pod(api, 1, true));
        assertEquals(UndrainedPodRoll.State.NONE, UndrainedPodRoll.decide(api, drained, 2, UNASKED, NOW).state());
        assertEquals(0, UndrainedPodRoll.decide(api, drained, 2, UNASKED, NOW).partition());

        api.getSpec().importDrainSeconds = 0;
        List<Pod> old = List.of(pod(api, 0, false), pod(api, 1, false));
        assertEquals(0, UndrainedPodRoll.decide(api, old, 2, UNASKED, NOW).partition(),
                "without the drain asked for, the roll is Kubernetes' own");
    }

    @Test
    void uploadsHoldTheNextUndrainedPodSinceTheirPodIsUnknown() {
        GlanceAPI api = api();
        List<Pod> pods = List.of(pod(api, 0, false), pod(api, 1, false), pod(api, 2, true));
        UndrainedPodRoll.Decision d = UndrainedPodRoll.decide(api, pods, 3, importing(api, 2, 0), NOW);
        assertEquals(2, d.partition());
        assertEquals("g-1", d.hold().pod);
        assertEquals("2 upload(s) in progress (Glance names their pod only at their end)", d.blocking());
        assertEquals("imports of img-1 and 1 upload(s) in progress (Glance names their pod only at their end)",
                UndrainedPodRoll.decide(api, pods, 3, importing(api, 1, 1), NOW).blocking());
    }

    @Test
    void aPodsHoldEndsAfterImportDrainSecondsAndDoesNotBeginAgain() {
        GlanceAPI api = api();
        api.getSpec().importDrainSeconds = 60;
        List<Pod> pods = List.of(pod(api, 0, false), pod(api, 1, false));
        api.setStatus(new GlanceAPIStatus());
        api.getStatus().rollHold = new RollHold("g-1", NOW.minusSeconds(55).toString(), null);
        UndrainedPodRoll.Decision held = UndrainedPodRoll.decide(api, pods, 2, importing(api, 0, 1), NOW);
        assertEquals(UndrainedPodRoll.State.HELD, held.state());
        assertEquals(NOW.minusSeconds(55).toString(), held.hold().since, "the hold's start is kept in the status");
        assertEquals(Duration.ofMillis(5_500), held.recheck(), "looks again when the hold ends");

        UndrainedPodRoll.Decision over = UndrainedPodRoll.decide(api, pods, 2, importing(api, 0, 1), NOW.plusSeconds(6));
        assertEquals(UndrainedPodRoll.State.TIMED_OUT, over.state());
        assertEquals(1, over.partition(), "pod 1 goes although it imports");
        api.getStatus().rollHold = over.hold();
        assertEquals(UndrainedPodRoll.State.TIMED_OUT,
                UndrainedPodRoll.decide(api, pods, 2, importing(api, 0, 1), NOW.plusSeconds(20)).state());

        // another pod's hold begins afresh
        api.getStatus().rollHold = new RollHold("g-0", NOW.minusSeconds(500).toString(), null);
        assertEquals(NOW.toString(), UndrainedPodRoll.decide(api, pods, 2, importing(api, 0, 1), NOW).hold().since);
    }

    @Test
    void anUnreachableDatabaseLetsThePodGo() {
        GlanceAPI api = api();
        UndrainedPodRoll.Decision d = UndrainedPodRoll.decide(api, List.of(pod(api, 0, false)), 1, () -> {
            throw new SQLException("connection refused");
        }, NOW);
        assertEquals(UndrainedPodRoll.State.NONE, d.state());
        assertEquals(0, d.partition());
        assertNull(d.hold());
    }
}
