package org.openstack.glanceimport.autoscaling;

import org.openstack.glanceimport.glance.StagedImageScans;
import org.openstack.glanceimport.status.EventRecorder;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;

import org.openstack.glanceimport.api.autoscaling.Autoscaling;
import org.openstack.glanceimport.api.autoscaling.AutoscalingStatus;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPIStatus;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.dependent.PodClaimsDependent;

/**
 * Spec.autoscaling applied to one reconcile: the load from the last scan of Glance's database, the staging pressure from
 * the claims in the cache, the decision into status.autoscaling, and Events when the decision or the pressure changes.
 */
@ApplicationScoped
public class ImportAutoscaling {

    /**
     * {@code target}: the pods wanted (the scale-down hold still applies); {@code grow}: claim sizes per ordinal;
     * {@code load}: the scan's load, also without autoscaling (the metrics show it), empty while unknown.
     */
    public record Outcome(int target, Map<Integer, Quantity> grow, Optional<Duration> recheck, Optional<ImportLoad> load) {
    }

    private static final Duration GROWN_RECHECK = Duration.ofSeconds(2);

    private final EventRecorder events;

    public ImportAutoscaling(EventRecorder events) {
        this.events = events;
    }

    /** The load of a scan: its images per pod of this GlanceAPI; uploads not yet on a pod count in the total. */
    private static ImportLoad load(GlanceAPI api, StagedImageScans.Scan scan) {
        ImportLoad.Builder load = new ImportLoad.Builder();
        scan.staged().forEach(s -> Names.ordinalOfStageHost(api, s.stageHost()).ifPresent(i -> load.add(i, s.size())));
        return load.build(scan.uploading());
    }

    public Outcome apply(GlanceAPI api, GlanceAPIStatus status, Optional<StagedImageScans.Scan> scan, int running,
            BigDecimal policyBytes, Function<String, PersistentVolumeClaim> claims, Predicate<PersistentVolumeClaim> expandable) {
        Autoscaling spec = api.getSpec().autoscaling;
        AutoscalingStatus previous = api.getStatus() == null ? null : api.getStatus().autoscaling;
        Optional<ImportLoad> load = scan.filter(s -> !s.failed()).map(s -> load(api, s));
        if (spec == null) {
            status.autoscaling = null;
            return new Outcome(api.getSpec().replicas, Map.of(), Optional.empty(), load);
        }
        String unknownWhy = scan.map(s -> "Glance's database could not be asked: " + s.failure()).orElse("no look at Glance's "
                + "database yet");
        StagingPressure.Outcome pressure = load.map(l -> StagingPressure.assess(spec, l, running,
                i -> claimBytes(claims.apply(Names.stagingClaim(api, i)), policyBytes),
                i -> Optional.ofNullable(claims.apply(Names.stagingClaim(api, i))).map(expandable::test).orElse(false)))
                .orElse(StagingPressure.Outcome.NONE);
        ImportAutoscaler.Decision decision = ImportAutoscaler.decide(spec, previous, running, load, unknownWhy, pressure,
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
        status.autoscaling = decision.status();
        announce(api, previous, decision.status());
        // JOSDK filters out the informer event of the claim update this reconcile makes: look again to report the new size
        Optional<Duration> recheck = pressure.grow().isEmpty() ? decision.recheck()
                : Optional.of(decision.recheck().filter(d -> d.compareTo(GROWN_RECHECK) < 0).orElse(GROWN_RECHECK));
        return new Outcome(decision.desired(), pressure.grow(), recheck, load);
    }

    private static BigDecimal claimBytes(PersistentVolumeClaim claim, BigDecimal policyBytes) {
        return claim == null ? policyBytes : PodClaimsDependent.requested(claim).max(policyBytes);
    }

    /** News only: a changed decision, pressure that appears or changes what it does. */
    private void announce(GlanceAPI api, AutoscalingStatus previous, AutoscalingStatus now) {
        Integer was = previous == null ? null : previous.desiredReplicas;
        if (was != null && !was.equals(now.desiredReplicas)) {
            events.normal(api, now.desiredReplicas > was ? "AutoscaledUp" : "AutoscaledDown",
                    "Autoscaling wants " + now.desiredReplicas + " pod(s), was " + was + ": " + now.message);
        }
        String pressureBefore = previous == null ? null : previous.stagingPressure;
        if (now.stagingPressure != null
                && !Objects.equals(StagingPressure.actions(pressureBefore), StagingPressure.actions(now.stagingPressure))) {
            events.warning(api, ImportAutoscaler.STAGING_PRESSURE, now.stagingPressure);
        }
    }
}
