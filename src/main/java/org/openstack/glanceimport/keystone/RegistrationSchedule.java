package org.openstack.glanceimport.keystone;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * When Keystone is asked again for a GlanceAPI. Reconciles come often (pods, claims, Glance's database): while what is
 * wanted (the fingerprint) stays the same, the last answer stands until {@code verify} has passed after a success, or a
 * backoff after failures (base, doubling, at most {@code maxBackoff}). A changed fingerprint (a new URL, a fixed Secret)
 * is asked at once. In memory only: a restarted operator checks once, with reads alone when nothing changed.
 */
final class RegistrationSchedule {

    private record Entry(String fingerprint, Instant next, int failures, RegistrationOutcome outcome) {
    }

    private final Duration verify;
    private final Duration base;
    private final Duration maxBackoff;
    private final Map<ResourceID, Entry> entries = new ConcurrentHashMap<>();

    RegistrationSchedule(Duration verify, Duration base, Duration maxBackoff) {
        this.verify = verify;
        this.base = base;
        this.maxBackoff = maxBackoff;
    }

    /** The last outcome, with the time left until the next check, while it still stands. */
    Optional<RegistrationOutcome> standing(ResourceID id, String fingerprint, Instant now) {
        Entry e = entries.get(id);
        if (e == null || !e.fingerprint.equals(fingerprint) || !now.isBefore(e.next)) {
            return Optional.empty();
        }
        return Optional.of(e.outcome.recheckAfter(Duration.between(now, e.next)));
    }

    RegistrationOutcome succeeded(ResourceID id, String fingerprint, RegistrationOutcome outcome, Instant now) {
        entries.put(id, new Entry(fingerprint, now.plus(verify), 0, outcome));
        return outcome.recheckAfter(verify);
    }

    RegistrationOutcome failed(ResourceID id, String fingerprint, RegistrationOutcome outcome, Instant now) {
        Entry before = entries.get(id);
        int failures = before != null && before.fingerprint.equals(fingerprint) ? before.failures + 1 : 1;
        Duration wait = backoff(failures);
        entries.put(id, new Entry(fingerprint, now.plus(wait), failures, outcome));
        return outcome.recheckAfter(wait);
    }

    /** How many failures in a row for this fingerprint (0 after a success or a change). */
    int failures(ResourceID id) {
        Entry e = entries.get(id);
        return e == null ? 0 : e.failures;
    }

    Duration backoff(int failures) {
        Duration wait = base;
        for (int i = 1; i < failures && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    void forget(ResourceID id) {
        entries.remove(id);
    }

    void retain(Set<ResourceID> live) {
        entries.keySet().retainAll(live);
    }
}
