package org.openstack.glanceimport.support;

import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Condition;

import org.openstack.glanceimport.api.GlanceAPI;

/**
 * A GlanceAPI's status conditions as the tests read them, one helper for all (the type names are
 * org.openstack.glanceimport.api.Conditions'). A GlanceAPI not yet created or not yet given a status has no condition.
 */
public final class StatusConditions {

    private StatusConditions() {
    }

    /** The condition of {@code type}, if the GlanceAPI exists and has it. */
    public static Optional<Condition> of(GlanceAPI api, String type) {
        if (api == null || api.getStatus() == null || api.getStatus().conditions == null) {
            return Optional.empty();
        }
        return api.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** The condition of {@code type}, or null: for awaiting it. */
    public static Condition find(GlanceAPI api, String type) {
        return of(api, type).orElse(null);
    }

    /** The condition of {@code type}; fails naming the conditions there are when it is not there. */
    public static Condition get(GlanceAPI api, String type) {
        return of(api, type).orElseThrow(() -> new AssertionError("no condition " + type + " on GlanceAPI "
                + (api == null ? "(none)" : api.getMetadata().getNamespace() + "/" + api.getMetadata().getName() + "; it has "
                        + (api.getStatus() == null ? "no status" : types(api.getStatus().conditions)))));
    }

    /** Whether the condition of {@code type} is there with status True. */
    public static boolean isTrue(GlanceAPI api, String type) {
        return of(api, type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    private static List<String> types(List<Condition> conditions) {
        return conditions == null ? List.of() : conditions.stream().map(c -> c.getType() + "=" + c.getStatus()).toList();
    }
}
