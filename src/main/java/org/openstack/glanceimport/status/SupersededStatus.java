package org.openstack.glanceimport.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.api.GlanceAPIStatus;

/**
 * Tells when a status write can wait for the StatefulSet controller's answer. Until the controller has observed the
 * StatefulSet's generation and created the pods it asks for, a status describes a moment the controller ends within
 * milliseconds: its next status update (generation observed, pods created; it creates them in the same sync) wakes the
 * next reconcile, whose status supersedes this one. On a real API server writing each of those cost one status write
 * per GlanceAPI created (make bench) for states nobody could read; what the kubelet reports next (pods ready) takes
 * seconds and is written as it comes.
 * <p>
 * Only the parts the next reconcile derives again from the cluster may wait: pod counts, claims, endpoints, the pods'
 * network addresses, and the conditions
 * {@code Ready}, {@code Progressing} and a {@code DBSyncReady} that turned true. A status that also records a decision
 * or news (a new generation observed, a hold's start, an autoscaling window, a config hash, any other condition: Events
 * are announced once, against the status last written) is written at once. Should the controller not answer (it is
 * down, or pod creation is refused), the write happens {@link #ANSWER_WAIT} after the first that waited. Kept in
 * memory: after a restart the status is written, as it would be without this.
 */
@ApplicationScoped
public class SupersededStatus {

    static final Duration ANSWER_WAIT = Duration.ofSeconds(10);

    // endpoints and networkAddresses are read again from the Service, Route and pods at every reconcile
    private static final Set<String> DERIVED = Set.of("replicas", "readyReplicas", "stagingClaims", "endpoints", "networkAddresses");
    private static final Set<String> DERIVED_CONDITIONS = Set.of(Conditions.READY, Conditions.PROGRESSING);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Map<ResourceID, Instant> waitingSince = new ConcurrentHashMap<>();
    private final Clock clock;

    @Inject
    public SupersededStatus() {
        this(Clock.systemUTC());
    }

    SupersededStatus(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param sts the StatefulSet as this reconcile left it
     * @return how long the write of {@code status} may still wait; empty when it is due now
     */
    public Optional<Duration> waitFor(ResourceID api, GlanceAPIStatus previous, GlanceAPIStatus status, Optional<StatefulSet> sts) {
        if (previous == null || sts.isEmpty() || answered(sts.get()) || news(previous, status)) {
            waitingSince.remove(api);
            return Optional.empty();
        }
        Instant now = clock.instant();
        Duration left = ANSWER_WAIT.minus(Duration.between(waitingSince.computeIfAbsent(api, k -> now), now));
        if (left.isNegative() || left.isZero()) {
            waitingSince.remove(api);
            return Optional.empty();
        }
        return Optional.of(left);
    }

    public void retain(Set<ResourceID> live) {
        waitingSince.keySet().retainAll(live);
    }

    private static boolean answered(StatefulSet sts) {
        var reported = sts.getStatus();
        Long seen = reported == null ? null : reported.getObservedGeneration();
        int created = reported == null || reported.getReplicas() == null ? 0 : reported.getReplicas();
        return seen != null && seen >= sts.getMetadata().getGeneration() && created >= sts.getSpec().getReplicas();
    }

    /** Whether the two statuses differ in more than what the next reconcile derives again. */
    private static boolean news(GlanceAPIStatus previous, GlanceAPIStatus status) {
        boolean synced = Conditions.isTrue(status, Conditions.DB_SYNC_READY);
        return !withoutDerived(previous, synced).equals(withoutDerived(status, synced));
    }

    private static Map<String, Object> withoutDerived(GlanceAPIStatus status, boolean synced) {
        Map<String, Object> fields = Serialization.jsonMapper().convertValue(status, MAP);
        fields.keySet().removeAll(DERIVED);
        if (fields.get("conditions") instanceof List<?> conditions) {
            conditions.removeIf(c -> c instanceof Map<?, ?> condition && (DERIVED_CONDITIONS.contains(condition.get("type"))
                    || synced && Conditions.DB_SYNC_READY.equals(condition.get("type"))));
            // claim counts (Pending, Bound) are read again from the claims; a new reason is news (its Event goes with it)
            conditions.forEach(c -> {
                if (c instanceof Map<?, ?> condition && Conditions.STAGING_READY.equals(condition.get("type"))) {
                    condition.keySet().retainAll(Set.of("type", "status", "reason"));
                }
            });
        }
        return fields;
    }
}
