package org.openstack.glanceimport.rollout;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;

import org.jboss.logging.Logger;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.RollHold;
import org.openstack.glanceimport.glance.StagedImages;
import org.openstack.glanceimport.naming.Names;

/**
 * A pod made before the import drain existed (0.1.0's pods have no preStop hook) is stopped at once when its StatefulSet
 * rolls it: a pod is stopped as its own spec says, not as the new template does, so the imports and uploads it runs are
 * cut. While such pods are left, the roll goes through them one at a time, highest ordinal first as Kubernetes does,
 * through the StatefulSet's rollingUpdate.partition: the next one is let go once the pods above it are Ready and Glance
 * shows it working on nothing, or after spec.importDrainSeconds, the time its drain would have waited.
 * <p>
 * What a pod works on: Glance's importing images staged on it, and uploads in progress, whose pod Glance records only at
 * their end (so any of them holds the highest undrained pod). Staged images that wait for their import are safe: the new
 * pod mounts the same claim under the same name. Asked of Glance's database when the decision is made, not from the
 * periodic scan: a scan minutes old would miss an import begun since.
 */
public final class UndrainedPodRoll {

    private static final Logger LOG = Logger.getLogger(UndrainedPodRoll.class);

    /** How often a held roll looks again: Glance cannot be watched. */
    public static final Duration RECHECK = Duration.ofSeconds(10);

    public enum State {
        /** No pod without the drain is left to replace, or none works: the roll runs as Kubernetes runs it. */
        NONE,
        HELD,
        /** The held pod kept working for importDrainSeconds: the roll goes on and cuts what it runs. */
        TIMED_OUT
    }

    /** Everything Glance is doing now: staged and importing images, and uploads in progress. */
    @FunctionalInterface
    public interface Work {
        StagedImages.Load now() throws Exception;
    }

    /**
     * {@code partition}: the StatefulSet's rollingUpdate.partition (pods with a lower ordinal keep their template, 0 when
     * no pod without the drain is left);
     * {@code hold}: the status' rollHold (HELD, TIMED_OUT); {@code blocking}: what the held pod runs (HELD, TIMED_OUT).
     */
    public record Decision(int partition, State state, RollHold hold, String blocking, Duration recheck) {
        static final Decision FREE = new Decision(0, State.NONE, null, null, null);
    }

    private UndrainedPodRoll() {
    }

    /** {@code pods}: the GlanceAPI's pods in the cache; {@code replicas}: the StatefulSet's replicas now. */
    public static Decision decide(GlanceAPI api, Collection<Pod> pods, int replicas, Work work, Instant now) {
        if (api.getSpec().importDrainSecondsOrDefault() == 0) {
            return Decision.FREE;
        }
        Map<String, Pod> byName = new HashMap<>();
        pods.forEach(p -> byName.put(p.getMetadata().getName(), p));
        int highest = -1;
        for (int ordinal = replicas - 1; ordinal >= 0 && highest < 0; ordinal--) {
            Pod pod = byName.get(Names.pod(api, ordinal));
            if (pod != null && pod.getMetadata().getDeletionTimestamp() == null && withoutDrain(pod)) {
                highest = ordinal;
            }
        }
        if (highest < 0) {
            return Decision.FREE;
        }
        // one pod at a time, each let go right after Glance was asked: the StatefulSet controller replaces the next pod as
        // soon as the one before is Ready, so a partition below a pod not yet checked would let it go unasked
        for (int ordinal = highest + 1; ordinal < replicas; ordinal++) {
            Pod replaced = byName.get(Names.pod(api, ordinal));
            if (replaced == null || replaced.getMetadata().getDeletionTimestamp() != null || !ready(replaced)) {
                return new Decision(highest + 1, State.NONE, null, null, null);
            }
        }
        StagedImages.Load load;
        try {
            load = work.now();
        } catch (Exception e) {
            // cannot tell what the pod runs: roll as Kubernetes would rather than hold on an unreachable database
            LOG.warnf("roll check of %s/%s failed: %s", api.getMetadata().getNamespace(), api.getMetadata().getName(),
                    e.getClass().getSimpleName());
            return new Decision(highest, State.NONE, null, null, null);
        }
        String url = Names.selfReferenceUrl(api, highest);
        List<String> importing = load.staged().stream().filter(s -> s.importing() && url.equals(s.stageHost()))
                .map(StagedImages.Staged::imageId).toList();
        List<String> running = new ArrayList<>();
        if (!importing.isEmpty()) {
            running.add("imports of " + String.join(", ", importing));
        }
        if (load.uploading() > 0) {
            running.add(load.uploading() + " upload(s) in progress (Glance names their pod only at their end)");
        }
        if (running.isEmpty()) {
            return new Decision(highest, State.NONE, null, null, null);
        }
        String blocking = String.join(" and ", running);
        String pod = Names.pod(api, highest);
        RollHold previous = api.getStatus() == null ? null : api.getStatus().rollHold;
        Instant since = previous != null && pod.equals(previous.pod) && previous.since != null ? Instant.parse(previous.since)
                : now.truncatedTo(ChronoUnit.SECONDS);
        Instant until = since.plusSeconds(api.getSpec().importDrainSecondsOrDefault());
        RollHold hold = new RollHold(pod, since.toString(), until.toString());
        if (now.isAfter(until)) {
            // the hold stays in the status until the pod is replaced, so that the next reconcile does not begin it again
            return new Decision(highest, State.TIMED_OUT, hold, blocking, null);
        }
        Duration left = Duration.between(now, until).plusMillis(500);
        return new Decision(highest + 1, State.HELD, hold, blocking, left.compareTo(RECHECK) < 0 ? left : RECHECK);
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** The pods' template gives glance-api the hook; one without it was made before it existed. */
    static boolean withoutDrain(Pod pod) {
        return pod.getSpec() != null && pod.getSpec().getContainers().stream()
                .filter(c -> Names.GLANCE_API_CONTAINER.equals(c.getName())).findFirst()
                .map(UndrainedPodRoll::noPreStop).orElse(false);
    }

    private static boolean noPreStop(Container c) {
        return c.getLifecycle() == null || c.getLifecycle().getPreStop() == null;
    }
}
