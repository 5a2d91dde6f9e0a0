package org.openstack.glanceimport.autoscaling;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.openstack.glanceimport.api.autoscaling.Autoscaling;
import org.openstack.glanceimport.api.autoscaling.AutoscalingStatus;

/**
 * How many pods the import load wants: ceil(in flight / importsPerPod) within minReplicas and maxReplicas, one more
 * when staging pressure finds every pod full, and no fewer while any pod's staging is under pressure. Scale-ups are taken at once (a burst queues otherwise); a scale-down only
 * once the load has wanted fewer pods for scaleDownStabilizationSeconds, and then to the most pods it wanted in that
 * time, so that a burst with pauses does not make pods come and go. Everything the decision needs next time is in the
 * status it returns, not in memory: a restarted or new leader carries on.
 */
public final class ImportAutoscaler {

    public static final String LOAD = "Load";
    public static final String AT_MINIMUM = "AtMinimum";
    public static final String AT_MAXIMUM = "AtMaximum";
    public static final String STABILIZING = "StabilizingScaleDown";
    public static final String STAGING_PRESSURE = "StagingPressure";
    public static final String LOAD_UNKNOWN = "LoadUnknown";

    /** {@code recheck}: when to decide again though nothing changes (the end of a stabilisation window). */
    public record Decision(AutoscalingStatus status, Optional<Duration> recheck) {
        public int desired() {
            return status.desiredReplicas;
        }
    }

    private ImportAutoscaler() {
    }

    /**
     * @param previous the last decision (status.autoscaling), null the first time
     * @param running pods the StatefulSet asks for now: the start when there is no earlier decision
     * @param load the last look at Glance's database, empty while there is none
     * @param unknownWhy why the load is unknown, when it is
     */
    public static Decision decide(Autoscaling spec, AutoscalingStatus previous, int running, Optional<ImportLoad> load,
            String unknownWhy, StagingPressure.Outcome pressure, Instant now) {
        int before = clamp(spec, previous != null && previous.desiredReplicas != null ? previous.desiredReplicas : running);
        AutoscalingStatus next = new AutoscalingStatus();
        next.lastScaleTime = previous == null ? null : previous.lastScaleTime;
        next.stagingPressure = pressure.summary();
        if (load.isEmpty()) {
            next.desiredReplicas = before;
            next.reason = LOAD_UNKNOWN;
            next.message = "Keeping " + before + " pod(s): the import load is not known (" + unknownWhy + ")";
            return finish(next, before, now, Optional.empty());
        }
        int inFlight = load.get().total();
        next.importsInFlight = inFlight;
        int perPod = spec.importsPerPodOrDefault();
        int byLoad = (inFlight + perPod - 1) / perPod;
        int recommended = clamp(spec, byLoad);
        String figures = inFlight + " import(s) in flight (" + load.get().uploading() + " uploading), " + perPod + " per pod";
        String reason = byLoad > spec.maxReplicas ? AT_MAXIMUM : byLoad < spec.min() ? AT_MINIMUM : LOAD;
        String why = switch (reason) {
            case AT_MAXIMUM -> figures + " would want " + byLoad + " pods; maxReplicas is " + spec.maxReplicas;
            case AT_MINIMUM -> figures + ": minReplicas " + spec.min();
            default -> figures + ": " + recommended + " pod(s)";
        };
        if (pressure.scaleOut() && recommended <= before) {
            recommended = clamp(spec, before + 1);
            reason = STAGING_PRESSURE;
            why = recommended > before ? "Staging pressure: " + pressure.summary()
                    : "Staging pressure at maxReplicas " + spec.maxReplicas + ": " + pressure.summary();
        } else if (pressure.any() && recommended < before) {
            // the pod added for room would go at once and the pressure come back: no scale-down while a pod is full
            recommended = before;
            reason = STAGING_PRESSURE;
            why = figures + "; keeping " + before + " pod(s) while staging is under pressure: " + pressure.summary();
        }
        if (recommended >= before) {
            next.desiredReplicas = recommended;
            next.reason = reason;
            next.message = why;
            return finish(next, before, now, Optional.empty());
        }
        Instant since = previous != null && previous.lowerSince != null ? Instant.parse(previous.lowerSince) : now;
        int lower = previous != null && previous.lowerRecommendation != null ? Math.max(previous.lowerRecommendation, recommended)
                : recommended;
        Instant at = since.plusSeconds(spec.stabilizationSeconds());
        if (!now.isBefore(at)) {
            int to = Math.min(lower, before);
            next.desiredReplicas = to;
            next.reason = reason;
            next.message = why + (to > recommended ? " (scaled down to " + to + ", the most wanted in the last "
                    + spec.stabilizationSeconds() + "s)" : "");
            return finish(next, before, now, Optional.empty());
        }
        next.desiredReplicas = before;
        next.reason = STABILIZING;
        next.lowerSince = since.toString();
        next.lowerRecommendation = lower;
        next.message = why + "; keeping " + before + " until " + at + ", then scaling down to " + lower
                + " unless the load rises";
        return finish(next, before, now, Optional.of(Duration.between(now, at).plusMillis(500)));
    }

    private static Decision finish(AutoscalingStatus next, int before, Instant now, Optional<Duration> recheck) {
        if (next.desiredReplicas != before || next.lastScaleTime == null) {
            next.lastScaleTime = now.toString();
        }
        return new Decision(next, recheck);
    }

    static int clamp(Autoscaling spec, int replicas) {
        return Math.max(spec.min(), Math.min(spec.maxReplicas, replicas));
    }
}
