package org.openstack.glanceimport.autoscaling;

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.glance.StagedImages;
import org.openstack.glanceimport.monitoring.OperatorMetrics;
import org.openstack.glanceimport.status.EventRecorder;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPIStatus;
import org.openstack.glanceimport.config.ServiceCredentials;
import org.openstack.glanceimport.naming.Names;

/**
 * Holds a scale-down while Glance has images staged on a pod that would go: removing the pod would lose the staged data
 * and leave the image stuck. The hold lasts until the images are imported or deleted, or until
 * spec.scaleDownHoldSeconds have passed since it began (the start is kept in the status, not in memory).
 */
@ApplicationScoped
public class ScaleDownGuard {

    private static final Logger LOG = Logger.getLogger(ScaleDownGuard.class);

    /** How often a held scale-down looks again: Glance cannot be watched. */
    public static final Duration RECHECK = Duration.ofSeconds(10);

    /** {@code recheck} is when a held scale-down should look again, null when nothing is held. */
    public record Decision(int replicas, Duration recheck) {
        public boolean holding() {
            return recheck != null;
        }
    }

    private final StagedImages stagedImages;
    private final EventRecorder events;
    private final OperatorMetrics metrics;

    public ScaleDownGuard(StagedImages stagedImages, EventRecorder events, OperatorMetrics metrics) {
        this.stagedImages = stagedImages;
        this.events = events;
        this.metrics = metrics;
    }

    /** The replicas the StatefulSet may have now, given it runs {@code current} and {@code wanted} are wanted. */
    public Decision decide(GlanceAPI api, GlanceAPIStatus status, ServiceCredentials.Database db, int wanted, int current) {
        Long gen = api.getMetadata().getGeneration();
        if (wanted >= current || api.getSpec().scaleDownHoldSeconds == 0) {
            release(status);
            return new Decision(Math.max(wanted, 0), null);
        }
        Map<String, String> podsByUrl = new LinkedHashMap<>();
        for (int i = wanted; i < current; i++) {
            podsByUrl.put(Names.selfReferenceUrl(api, i), Names.pod(api, i));
        }
        String blocking;
        String reason;
        try {
            List<StagedImages.Staged> staged = stagedImages.on(db, podsByUrl.keySet());
            if (staged.isEmpty()) {
                if (Conditions.isTrue(status, Conditions.SCALE_DOWN_BLOCKED)) {
                    events.normal(api, "ScaleDownReleased", "No image is staged on the pods being removed any more; scaling down to " + wanted);
                }
                release(status);
                return new Decision(wanted, null);
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
        Instant since = status.scaleDownHeldSince == null ? Instant.now().truncatedTo(ChronoUnit.SECONDS)
                : Instant.parse(status.scaleDownHeldSince);
        Instant until = since.plusSeconds(api.getSpec().scaleDownHoldSeconds);
        if (Instant.now().isAfter(until)) {
            String message = "Scale-down to " + wanted + " proceeded after " + api.getSpec().scaleDownHoldSeconds
                    + "s although " + blocking + "; their staged data is lost";
            if (Conditions.set(status, Conditions.SCALE_DOWN_BLOCKED, false, "HoldTimedOut", message, gen)) {
                events.warning(api, "ScaleDownHoldTimedOut", message);
                metrics.scaleDownHoldTimedOut(api);
            }
            status.scaleDownHeldSince = null;
            return new Decision(wanted, null);
        }
        status.scaleDownHeldSince = since.toString();
        String message = "Scale-down from " + current + " to " + wanted + " waits: " + blocking
                + "; import or delete them, or it proceeds at " + until;
        if (Conditions.set(status, Conditions.SCALE_DOWN_BLOCKED, true, reason, message, gen)) {
            events.warning(api, "ScaleDownBlocked", message);
        } else {
            // same reason, maybe other images: keep the message current without a new Event
            Conditions.set(status, Conditions.SCALE_DOWN_BLOCKED, true, reason, message, gen);
        }
        Duration left = Duration.between(Instant.now(), until).plusMillis(500);
        return new Decision(current, left.compareTo(RECHECK) < 0 ? left : RECHECK);
    }

    private static void release(GlanceAPIStatus status) {
        status.scaleDownHeldSince = null;
        if (Conditions.get(status, Conditions.SCALE_DOWN_BLOCKED).map(c -> "True".equals(c.getStatus())).orElse(false)) {
            Conditions.remove(status, Conditions.SCALE_DOWN_BLOCKED);
        }
    }
}
