package org.openstack.glanceimport.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

/** Kubernetes-style conditions: the transition time moves only when the status flips, so steady state writes nothing. */
public final class Conditions {

    public static final String READY = "Ready";
    public static final String CONFIG_READY = "ConfigReady";
    public static final String STAGING_READY = "StagingReady";
    public static final String DB_SYNC_READY = "DBSyncReady";
    public static final String SCALE_DOWN_BLOCKED = "ScaleDownBlocked";
    public static final String ROLL_HELD = "RollHeld";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";
    public static final String SHARED_STAGING = "SharedStaging";
    public static final String IMAGES_STRANDED = "ImagesStranded";
    /** Fewer pods run than spec.replicas or autoscaling ask for, because a store cannot serve from more. */
    public static final String REPLICAS_LIMITED = "ReplicasLimited";
    /** With spec.route: whether the Route exists and is admitted, or why not (no Route API on the cluster). */
    public static final String ROUTE_AVAILABLE = "RouteAvailable";
    /** With spec.keystoneRegistration: whether the image service and its endpoints are in Keystone's catalogue, or why not. */
    public static final String KEYSTONE_REGISTERED = "KeystoneRegistered";

    private Conditions() {
    }

    /** Sets a condition; returns true when its status or reason changed, i.e. when it is news worth an Event. */
    public static boolean set(WithConditions target, String type, boolean status, String reason, String message, Long generation) {
        return set(target, type, status ? "True" : "False", reason, message, generation);
    }

    /** As {@link #set(WithConditions, String, boolean, String, String, Long)}, for True, False or Unknown. */
    public static boolean set(WithConditions target, String type, String statusText, String reason, String message, Long generation) {
        Optional<Condition> existing = get(target, type);
        boolean flipped = existing.map(c -> !statusText.equals(c.getStatus())).orElse(true);
        boolean news = flipped || existing.map(c -> !Objects.equals(reason, c.getReason())).orElse(true);
        Condition condition = new ConditionBuilder()
                .withType(type)
                .withStatus(statusText)
                .withReason(reason)
                .withMessage(message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(flipped ? Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()
                        : existing.get().getLastTransitionTime())
                .build();
        target.getConditions().removeIf(c -> type.equals(c.getType()));
        target.getConditions().add(condition);
        target.getConditions().sort(Comparator.comparing(Condition::getType));
        return news;
    }

    public static void remove(WithConditions target, String type) {
        target.getConditions().removeIf(c -> type.equals(c.getType()));
    }

    public static Optional<Condition> get(WithConditions target, String type) {
        return target.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(WithConditions target, String type) {
        return get(target, type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }
}
