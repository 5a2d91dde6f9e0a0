package org.openstack.glanceimport.runtime;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An informer cache that keeps, of each object's {@code metadata.managedFields}, only the operator's own server-side
 * applies: the one thing JOSDK reads them for is to compare a dependent's desired state with the fields the operator
 * applied. Every other entry (the user's kubectl, the StatefulSet and Job controllers' status updates, the operator's
 * own status updates) is a tree of maps as large as the fields it names, often larger than the object's spec, and on
 * a real API server it filled most of the caches (make measure: RealApiMeasureRun).
 */
// JOSDK creates the stores the informer annotations name by reflection, in the native image too
@RegisterForReflection
public class TrimmedItemStore<R extends HasMetadata> implements ItemStore<R> {

    /** The operator's field managers: JOSDK applies as the controller's name. */
    static final Set<String> OWN_MANAGERS = Set.of("glanceapi", "glanceimportstaging");
    private static final String APPLY = "Apply";

    private final BasicItemStore<R> store = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);

    /** Drops the managedFields entries no matcher reads; the object keeps none if the operator never applied it. */
    public static <T extends HasMetadata> T trim(T object) {
        List<ManagedFieldsEntry> entries = object.getMetadata() == null ? null : object.getMetadata().getManagedFields();
        if (entries != null && !entries.isEmpty()) {
            List<ManagedFieldsEntry> own = entries.stream()
                    .filter(e -> APPLY.equals(e.getOperation()) && OWN_MANAGERS.contains(e.getManager()))
                    .map(TrimmedItemStore::compacted).toList();
            // null, not empty: an update sent from a cached copy then leaves the server's managedFields as they are
            object.getMetadata().setManagedFields(own.isEmpty() ? null : own);
        }
        return object;
    }

    /**
     * The entry with its field set as immutable maps whose keys are interned: the set names every field the operator
     * applied (for a StatefulSet, its whole pod template), and as Jackson reads it every node is a LinkedHashMap with
     * keys of its own, the same "f:name" strings again in every object of a kind. JOSDK's matcher only reads it.
     */
    private static ManagedFieldsEntry compacted(ManagedFieldsEntry entry) {
        if (entry.getFieldsV1() != null && entry.getFieldsV1().getAdditionalProperties() != null) {
            FieldsV1 fields = new FieldsV1();
            fields.setAdditionalProperties(compacted(entry.getFieldsV1().getAdditionalProperties()));
            entry.setFieldsV1(fields);
        }
        return entry;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compacted(Map<String, Object> set) {
        if (set.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> out = new HashMap<>(set.size() * 2);
        set.forEach((key, value) -> out.put(key.intern(), value instanceof Map<?, ?> nested ? compacted((Map<String, Object>) nested) : value));
        return out.containsValue(null) ? Collections.unmodifiableMap(out) : Map.copyOf(out);
    }

    @Override
    public String getKey(R object) {
        return store.getKey(object);
    }

    @Override
    public R put(String key, R object) {
        return store.put(key, kept(object));
    }

    /** What the cache keeps of an object the informer received: by default, all of it but foreign managedFields. */
    protected R kept(R object) {
        return trim(object);
    }

    @Override
    public R remove(String key) {
        return store.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return store.keySet();
    }

    @Override
    public Stream<R> values() {
        return store.values();
    }

    @Override
    public int size() {
        return store.size();
    }

    @Override
    public R get(String key) {
        return store.get(key);
    }
}
