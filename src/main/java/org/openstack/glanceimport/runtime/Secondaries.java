package org.openstack.glanceimport.runtime;

import java.util.Optional;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;

import org.openstack.glanceimport.api.GlanceAPI;

/** Lookups in the informer caches of a GlanceAPI's secondary resources: no request to the API server. */
public final class Secondaries {

    private Secondaries() {
    }

    public static <R extends HasMetadata> Optional<R> named(Context<GlanceAPI> context, Class<R> type, String name) {
        return context.getSecondaryResourcesAsStream(type).filter(r -> r.getMetadata().getName().equals(name)).findFirst();
    }
}
