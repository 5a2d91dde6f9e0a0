package org.openstack.glanceimport.status;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPIStatus;
import org.openstack.glanceimport.api.RollHold;
import org.openstack.glanceimport.api.autoscaling.AutoscalingStatus;
import org.openstack.glanceimport.autoscaling.ImportAutoscaler;
import org.openstack.glanceimport.autoscaling.LocalFileStoreLimit;
import org.openstack.glanceimport.autoscaling.ScaleDownGuard;
import org.openstack.glanceimport.autoscaling.StagingPressure;
import org.openstack.glanceimport.exposure.Publication;
import org.openstack.glanceimport.api.keystone.KeystoneRegistrationStatus;
import org.openstack.glanceimport.inputs.GlanceApiInputs;
import org.openstack.glanceimport.keystone.RegistrationOutcome;
import org.openstack.glanceimport.monitoring.OperatorMetrics;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.plan.News;
import org.openstack.glanceimport.plan.ReconcilePlan;
import org.openstack.glanceimport.rollout.UndrainedPodRoll;
import org.openstack.glanceimport.validation.InputProblem;

/**
 * The one place a GlanceAPI's status is written and its Events announced. Every concern hands in what it decided or
 * found; this class turns it into conditions, announces what is news (a condition that changed, a decision that moved),
 * and writes the status only when it differs, unless the StatefulSet controller's imminent answer supersedes it
 * ({@link SupersededStatus}).
 */
@ApplicationScoped
public class GlanceApiStatusWriter {

    /** What was written (or is already there) and what the reconcile answers JOSDK. */
    public record Written(GlanceAPIStatus status, UpdateControl<GlanceAPI> control) {
    }

    /** The reason of the ReplicasLimited condition and its Warning when a pod-local file store limits the pods. */
    public static final String LOCAL_FILE_STORE = "PodLocalFileStore";

    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final SupersededStatus superseded;

    public GlanceApiStatusWriter(EventRecorder events, OperatorMetrics metrics, SupersededStatus superseded) {
        this.events = events;
        this.metrics = metrics;
        this.superseded = superseded;
    }

    /** Bad input: the workflow did not run, nothing already running was touched. */
    public Written invalid(GlanceAPI api, GlanceApiInputs.Result inputs, Context<GlanceAPI> context) {
        List<InputProblem> problems = inputs.problems();
        GlanceAPIStatus status = GlanceApiStatusBuilder.from(api);
        if (GlanceApiStatusBuilder.invalid(api, status, problems)) {
            events.warning(api, problems.get(0).reason(), Conditions.get(status, Conditions.CONFIG_READY).get().getMessage());
        }
        UpdateControl<GlanceAPI> control = StatusPatch.ifChanged(api, status, context);
        return new Written(status, inputs.recheck().map(control::rescheduleAfter).orElse(control));
    }

    /** What the dependents did on their own initiative during the workflow. */
    public void announce(News news) {
        news.take().forEach(item -> events.normal(item.about(), item.reason(), item.message()));
    }

    public Written applied(GlanceAPI api, ReconcileOutcome outcome, Context<GlanceAPI> context) {
        ReconcilePlan plan = outcome.plan();
        GlanceAPIStatus status = GlanceApiStatusBuilder.from(api);
        boolean wasInvalid = Conditions.get(status, Conditions.CONFIG_READY).map(c -> "False".equals(c.getStatus())).orElse(false);
        autoscaling(api, status, plan.autoscaling().status());
        hold(api, status, plan.hold());
        roll(api, status, plan.roll());
        localFiles(api, status, plan.localFiles());
        changes(api, plan, outcome.before(), outcome.after());
        GlanceApiStatusBuilder.built(api, plan.target(), status, plan.rendered(), outcome.after(), outcome.claims(),
                outcome.expandable(), outcome.dbSync());
        status.imageCache = outcome.imageCache();
        publication(api, status, outcome.publication());
        keystone(api, status, outcome.keystone());
        status.networkAddresses = NetworkAddresses.of(api, context.getSecondaryResourcesAsStream(Pod.class));
        staging(api, status);
        StrandedImagesReport.apply(api, status, outcome.stranded().report(), events);
        if (wasInvalid) {
            events.normal(api, "ConfigValid", "Inputs are valid again; configuration rendered");
        }
        Optional<Duration> answer = superseded.waitFor(ResourceID.fromResource(api), api.getStatus(), status, outcome.after());
        UpdateControl<GlanceAPI> control = answer.isPresent() ? UpdateControl.noUpdate() : StatusPatch.ifChanged(api, status, context);
        // Glance cannot be watched: while a scale-down is held, a stranded image's grace period runs, or autoscaling waits out
        // its stabilisation window, look again after a while
        return new Written(status, Stream.of(Optional.ofNullable(plan.hold().recheck()), Optional.ofNullable(plan.roll().recheck()),
                outcome.stranded().recheck(), plan.autoscaling().recheck(), outcome.keystone().recheck(), answer)
                .flatMap(Optional::stream).min(Comparator.naturalOrder())
                .map(control::rescheduleAfter).orElse(control));
    }

    /** A failed reconcile: said in the Degraded condition and an Event, written like every other status. */
    public void failed(GlanceAPI api, Exception e, Context<GlanceAPI> context) {
        GlanceAPIStatus status = GlanceApiStatusBuilder.from(api);
        ReconcileFailure failure = ReconcileFailure.of(e);
        if (Conditions.set(status, Conditions.DEGRADED, true, failure.reason(), failure.message(), api.getMetadata().getGeneration())) {
            events.warning(api, failure.reason(), failure.message());
        }
        StatusPatch.ifChanged(api, status, context);
    }

    /** News only: a changed decision, pressure that appears or changes what it does. */
    private void autoscaling(GlanceAPI api, GlanceAPIStatus status, AutoscalingStatus now) {
        AutoscalingStatus previous = status.autoscaling;
        status.autoscaling = now;
        if (now == null) {
            return;
        }
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

    private void hold(GlanceAPI api, GlanceAPIStatus status, ScaleDownGuard.Decision hold) {
        Long gen = api.getMetadata().getGeneration();
        switch (hold.state()) {
            case NONE, RELEASED -> {
                if (hold.state() == ScaleDownGuard.State.RELEASED) {
                    events.normal(api, "ScaleDownReleased", "No image is staged on the pods being removed any more; scaling down to "
                            + hold.replicas());
                }
                status.scaleDownHeldSince = null;
                if (Conditions.isTrue(status, Conditions.SCALE_DOWN_BLOCKED)) {
                    Conditions.remove(status, Conditions.SCALE_DOWN_BLOCKED);
                }
            }
            case TIMED_OUT -> {
                String message = "Scale-down to " + hold.wanted() + " proceeded after " + api.getSpec().scaleDownHoldSeconds
                        + "s although " + hold.blocking() + "; their staged data is lost";
                if (Conditions.set(status, Conditions.SCALE_DOWN_BLOCKED, false, "HoldTimedOut", message, gen)) {
                    events.warning(api, "ScaleDownHoldTimedOut", message);
                    metrics.scaleDownHoldTimedOut(api);
                }
                status.scaleDownHeldSince = null;
            }
            case HELD -> {
                status.scaleDownHeldSince = hold.since().toString();
                String message = "Scale-down from " + hold.current() + " to " + hold.wanted() + " waits: " + hold.blocking()
                        + "; import or delete them, or it proceeds at " + hold.until();
                // same reason, maybe other images: the message stays current without a new Event
                if (Conditions.set(status, Conditions.SCALE_DOWN_BLOCKED, true, hold.reason(), message, gen)) {
                    events.warning(api, "ScaleDownBlocked", message);
                }
            }
        }
    }

    private void roll(GlanceAPI api, GlanceAPIStatus status, UndrainedPodRoll.Decision roll) {
        Long gen = api.getMetadata().getGeneration();
        RollHold before = status.rollHold;
        status.rollHold = roll.hold();
        switch (roll.state()) {
            case NONE -> {
                if (Conditions.isTrue(status, Conditions.ROLL_HELD)) {
                    events.normal(api, "RollReleased", "Pod " + before.pod + " works on nothing any more: the roll goes on");
                }
                Conditions.remove(status, Conditions.ROLL_HELD);
            }
            case HELD -> {
                String message = "The roll waits to replace pod " + roll.hold().pod + ", made without the import drain, while it runs "
                        + roll.blocking() + "; it is replaced at the latest at " + roll.hold().until;
                if (Conditions.set(status, Conditions.ROLL_HELD, true, "UndrainedPodWorking", message, gen)
                        && (before == null || !roll.hold().pod.equals(before.pod))) {
                    events.normal(api, "RollHeld", message);
                }
            }
            case TIMED_OUT -> {
                String message = "Pod " + roll.hold().pod + " is replaced after " + api.getSpec().importDrainSecondsOrDefault()
                        + "s although it runs " + roll.blocking() + ": they are cut (ImportInterrupted)";
                if (Conditions.set(status, Conditions.ROLL_HELD, false, "HoldTimedOut", message, gen)) {
                    events.warning(api, "RollHoldTimedOut", message);
                }
            }
        }
    }

    private void localFiles(GlanceAPI api, GlanceAPIStatus status, LocalFileStoreLimit.Decision limit) {
        if (!limit.limited()) {
            Conditions.remove(status, Conditions.REPLICAS_LIMITED);
            return;
        }
        if (Conditions.set(status, Conditions.REPLICAS_LIMITED, true, LOCAL_FILE_STORE, limit.message(), api.getMetadata().getGeneration())) {
            events.warning(api, LOCAL_FILE_STORE, limit.message());
        }
    }

    private void changes(GlanceAPI api, ReconcilePlan plan, Optional<StatefulSet> before, Optional<StatefulSet> after) {
        if (before.isEmpty()) {
            if (after.isPresent()) {
                events.normal(api, "Created", "Created StatefulSet " + api.getMetadata().getName() + " with "
                        + plan.target() + " replica(s), each with its own staging claim");
            }
            return;
        }
        int was = before.get().getSpec().getReplicas();
        int now = after.map(sts -> sts.getSpec().getReplicas()).orElse(was);
        if (was != now) {
            events.normal(api, now > was ? "ScaledUp" : "ScaledDown", "Scaled from " + was + " to " + now + " replica(s)");
        }
        String oldHash = before.get().getSpec().getTemplate().getMetadata().getAnnotations().get(Names.CONFIG_HASH_ANNOTATION);
        String hash = plan.rendered().configHash();
        if (oldHash != null && !oldHash.equals(hash)) {
            events.normal(api, "ConfigChanged", "Configuration changed (hash " + oldHash + " -> " + hash + "); pods roll one at a time");
        }
    }

    /** status.endpoints, and with spec.route whether its Route serves: a Route that cannot be made is news, once. */
    private void publication(GlanceAPI api, GlanceAPIStatus status, Publication publication) {
        status.endpoints = publication.endpoints(api);
        Optional<Publication.RouteState> route = publication.routeState(api);
        if (route.isEmpty()) {
            Conditions.remove(status, Conditions.ROUTE_AVAILABLE);
            return;
        }
        Publication.RouteState state = route.get();
        if (Conditions.set(status, Conditions.ROUTE_AVAILABLE, state.available(), state.reason(), state.message(),
                api.getMetadata().getGeneration())) {
            if (state.available()) {
                events.normal(api, state.reason(), state.message());
            } else if (!"Creating".equals(state.reason()) && !"WaitingForAdmission".equals(state.reason())) {
                events.warning(api, state.reason(), state.message());
            }
        }
    }

    /** status.keystoneRegistration and KeystoneRegistered: a new state or reason is news, a failure a Warning. */
    private void keystone(GlanceAPI api, GlanceAPIStatus status, RegistrationOutcome outcome) {
        status.keystoneRegistration = outcome.status();
        RegistrationOutcome.State state = outcome.condition();
        if (state == null) {
            if (Conditions.get(status, Conditions.KEYSTONE_REGISTERED).isPresent()) {
                Conditions.remove(status, Conditions.KEYSTONE_REGISTERED);
                events.normal(api, "KeystoneDeregistered", "Keystone registration is off; the catalogue entries the operator made are removed");
            }
            return;
        }
        if (Conditions.set(status, Conditions.KEYSTONE_REGISTERED, state.status(), state.reason(), state.message(),
                api.getMetadata().getGeneration())) {
            if (state.warning()) {
                events.warning(api, state.reason(), state.message());
            } else {
                events.normal(api, state.reason(), state.message());
            }
        }
    }

    /**
     * A GlanceAPI being deleted whose catalogue entries are still in Keystone: no status is written any more (it is going),
     * the first failure is said as a Warning, and giving up with what is left.
     */
    public void deregistration(GlanceAPI api, RegistrationOutcome outcome, boolean givingUp, boolean firstFailure) {
        if (!outcome.registered()) {
            events.normal(api, "KeystoneDeregistered", "The catalogue entries the operator made in Keystone are removed");
            return;
        }
        String message = outcome.condition() == null ? "" : outcome.condition().message();
        KeystoneRegistrationStatus left = outcome.status();
        if (givingUp) {
            events.warning(api, "KeystoneDeregistrationAbandoned", "Deleted without removing its Keystone entries (" + message
                    + "); remove them by hand: endpoints " + left.endpointIds + (Boolean.TRUE.equals(left.serviceCreated)
                            ? ", service " + left.serviceId : ""));
        } else if (firstFailure) {
            events.warning(api, "DeregistrationFailed", message);
        }
    }

    /** Staging problems and refusals are news when they appear, not on every reconcile. */
    private void staging(GlanceAPI api, GlanceAPIStatus status) {
        var before = api.getStatus() == null ? null : Conditions.get(api.getStatus(), Conditions.STAGING_READY).orElse(null);
        var now = Conditions.get(status, Conditions.STAGING_READY).orElseThrow();
        boolean news = before == null || !before.getReason().equals(now.getReason());
        if (news && ("False".equals(now.getStatus()) || "ShrinkRefused".equals(now.getReason()))) {
            events.warning(api, now.getReason(), now.getMessage());
        } else if (news && "Expanding".equals(now.getReason())) {
            events.normal(api, now.getReason(), now.getMessage());
        }
        var syncBefore = api.getStatus() == null ? null : Conditions.get(api.getStatus(), Conditions.DB_SYNC_READY).orElse(null);
        var syncNow = Conditions.get(status, Conditions.DB_SYNC_READY).orElseThrow();
        if ("DBSyncFailed".equals(syncNow.getReason()) && (syncBefore == null || !"DBSyncFailed".equals(syncBefore.getReason()))) {
            events.warning(api, syncNow.getReason(), syncNow.getMessage());
        }
    }
}
