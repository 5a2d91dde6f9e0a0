package org.openstack.glanceimport.stores;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.openstack.glanceimport.validation.InputProblem;

/**
 * The outcome of each store check by what it was checked with. A success stands until the store's settings or Secret
 * change (their key changes), so steady-state reconciles send nothing; a failure is tried again after
 * {@link #FAILURE_RECHECK}, since the user may fix the far end (create the bucket, start the endpoint) without touching
 * anything the operator watches. Least recently used entries go first beyond {@link #MOST_ENTRIES}: a store edited
 * many times leaves one entry per version behind.
 */
final class CheckCache {

    static final Duration FAILURE_RECHECK = Duration.ofSeconds(30);
    static final int MOST_ENTRIES = 512;

    private record Entry(List<InputProblem> problems, Instant checkedAt) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MOST_ENTRIES;
        }
    };

    /** The remembered problems (empty: it worked), or empty when the check is due. */
    synchronized Optional<List<InputProblem>> get(String key, Instant now) {
        Entry e = entries.get(key);
        if (e == null || (!e.problems().isEmpty() && !now.isBefore(e.checkedAt().plus(FAILURE_RECHECK)))) {
            return Optional.empty();
        }
        return Optional.of(e.problems());
    }

    synchronized void put(String key, List<InputProblem> problems, Instant now) {
        entries.put(key, new Entry(List.copyOf(problems), now));
    }
}
