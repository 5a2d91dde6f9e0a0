package org.openstack.glanceimport.autoscaling;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPIStatus;
import org.openstack.glanceimport.glance.StagedImages;
import org.openstack.glanceimport.naming.Names;

/**
 * Holds a scale-down while Glance has images staged on a pod that would go: removing the pod would lose the staged data
 * and leave the image stuck. The hold lasts until the images are imported or deleted, or until
 * spec.scaleDownHoldSeconds have passed since it began (the start is kept in the status, not in memory).
 */
public final class ScaleDownGuard {

    private static final Logger LOG = Logger.getLogger(ScaleDownGuard.class);

    /** How often a held scale-down looks again: Glance cannot be watched. */
    public static final Duration RECHECK = Duration.ofSeconds(10);

    /** What the hold is now; the status writer turns it into the ScaleDownBlocked condition and its Events. */
    public enum State {
        /** Nothing to hold (no scale-down, or holding switched off). */
        NONE,
        /** A hold ended because no image is staged on the pods being removed any more. */
        RELEASED,
        HELD,
        TIMED_OUT
    }

    /**
     * {@code recheck}: when a held scale-down should look again, null when nothing is held; {@code reason} and
     * {@code blocking}: why it is held (HELD, TIMED_OUT); {@code since}: when the hold began (HELD).
     */
    public record Decision(int replicas, int wanted, int current, Duration recheck, State state, String reason, String blocking,
            Instant since, Instant until) {
        static Decision free(int replicas, State state) {
            return new Decision(replicas, replicas, replicas, null, state, null, null, null, null);
        }
    }

    /** Asks Glance which images are staged on the given stage hosts (self-reference URLs); may throw. */
    @FunctionalInterface
    public interface StagedOn {
        List<StagedImages.Staged> images(Set<String> stageHosts) throws Exception;
    }

    private ScaleDownGuard() {
    }

    /** The replicas the StatefulSet may have now, given it runs {@code current} and {@code wanted} are wanted. */
    public static Decision decide(GlanceAPI api, int wanted, int current, StagedOn stagedOn, Instant now) {
        GlanceAPIStatus previous = api.getStatus();
        if (wanted >= current || api.getSpec().scaleDownHoldSeconds == 0) {
            return Decision.free(Math.max(wanted, 0), State.NONE);
        }
        Map<String, String> podsByUrl = new LinkedHashMap<>();
        for (int i = wanted; i < current; i++) {
            podsByUrl.put(Names.selfReferenceUrl(api, i), Names.pod(api, i));
        }
        String blocking;
        String reason;
        try {
            List<StagedImages.Staged> staged = stagedOn.images(podsByUrl.keySet());
            if (staged.isEmpty()) {
                boolean wasHeld = previous != null && Conditions.isTrue(previous, Conditions.SCALE_DOWN_BLOCKED);
                return Decision.free(wanted, wasHeld ? State.RELEASED : State.NONE);
            }
            reason = "ImagesStaged";
            blocking = staged.stream().map(s -> s.imageId() + " (" + s.status() + ") on " + podsByUrl.get(s.stageHost()))
                    .collect(Collectors.joining(", "));
        } catch (Exception e) {
            // cannot tell: keep the data safe until the timeout, and say why without echoing connection details
            LOG.warnf("scale-down check of %s/%s failed: %s", api.getMetadata().getNamespace(), api.getMetadata().getName(),
                    e.getClass().getSimpleName());
            reason = "StagingCheckFailed";
            blocking = "the Glance database could not be asked which images are staged (" + e.getClass().getSimpleName() + ")";
        }
        Instant since = previous == null || previous.scaleDownHeldSince == null ? now.truncatedTo(ChronoUnit.SECONDS)
                : Instant.parse(previous.scaleDownHeldSince);
        Instant until = since.plusSeconds(api.getSpec().scaleDownHoldSeconds);
        if (now.isAfter(until)) {
            return new Decision(wanted, wanted, current, null, State.TIMED_OUT, reason, blocking, since, until);
        }
        Duration left = Duration.between(now, until).plusMillis(500);
        return new Decision(current, wanted, current, left.compareTo(RECHECK) < 0 ? left : RECHECK, State.HELD, reason, blocking,
                since, until);
    }
}
