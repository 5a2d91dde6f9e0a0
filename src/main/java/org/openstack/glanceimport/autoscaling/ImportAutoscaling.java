package org.openstack.glanceimport.autoscaling;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.autoscaling.Autoscaling;
import org.openstack.glanceimport.api.autoscaling.AutoscalingStatus;
import org.openstack.glanceimport.claims.ClaimSizes;
import org.openstack.glanceimport.glance.StagedImageScans;
import org.openstack.glanceimport.naming.Names;

/**
 * Spec.autoscaling applied to one reconcile: the load from the last scan of Glance's database, the staging pressure from
 * the claims in the cache, and the decision. Pure: the status writer records the decision and announces its changes.
 */
public final class ImportAutoscaling {

    /**
     * {@code target}: the pods wanted (the scale-down hold still applies); {@code grow}: claim sizes per ordinal;
     * {@code load}: the scan's load, also without autoscaling (the metrics show it), empty while unknown;
     * {@code status}: status.autoscaling, null without spec.autoscaling.
     */
    public record Outcome(int target, Map<Integer, Quantity> grow, Optional<Duration> recheck, Optional<ImportLoad> load,
            AutoscalingStatus status) {
    }

    private static final Duration GROWN_RECHECK = Duration.ofSeconds(2);

    private ImportAutoscaling() {
    }

    /** The load of a scan: its images per pod of this GlanceAPI; uploads not yet on a pod count in the total. */
    private static ImportLoad load(GlanceAPI api, StagedImageScans.Scan scan) {
        ImportLoad.Builder load = new ImportLoad.Builder();
        scan.staged().forEach(s -> Names.ordinalOfStageHost(api, s.stageHost()).ifPresent(i -> load.add(i, s.size())));
        return load.build(scan.uploading());
    }

    /** @param claims the staging claims in the cache, by name */
    public static Outcome decide(GlanceAPI api, Optional<StagedImageScans.Scan> scan, int running, BigDecimal policyBytes,
            Function<String, PersistentVolumeClaim> claims,
            Predicate<PersistentVolumeClaim> expandable, Instant now) {
        Autoscaling spec = api.getSpec().autoscaling;
        AutoscalingStatus previous = api.getStatus() == null ? null : api.getStatus().autoscaling;
        Optional<ImportLoad> load = scan.filter(s -> !s.failed()).map(s -> load(api, s));
        if (spec == null) {
            return new Outcome(api.getSpec().replicas, Map.of(), Optional.empty(), load, null);
        }
        String unknownWhy = scan.map(s -> "Glance's database could not be asked: " + s.failure()).orElse("no look at Glance's "
                + "database yet");
        StagingPressure.Outcome pressure = load.map(l -> StagingPressure.assess(spec, l, running,
                i -> Optional.ofNullable(claims.apply(Names.stagingClaim(api, i))).map(ClaimSizes::requested).map(b -> b.max(policyBytes))
                        .orElse(policyBytes),
                i -> Optional.ofNullable(claims.apply(Names.stagingClaim(api, i))).map(expandable::test).orElse(false)))
                .orElse(StagingPressure.Outcome.NONE);
        ImportAutoscaler.Decision decision = ImportAutoscaler.decide(spec, previous, running, load, unknownWhy, pressure,
                now.truncatedTo(ChronoUnit.SECONDS));
        // JOSDK filters out the informer event of the claim update this reconcile makes: look again to report the new size
        Optional<Duration> recheck = pressure.grow().isEmpty() ? decision.recheck()
                : Optional.of(decision.recheck().filter(d -> d.compareTo(GROWN_RECHECK) < 0).orElse(GROWN_RECHECK));
        return new Outcome(decision.desired(), pressure.grow(), recheck, load, decision.status());
    }
}
