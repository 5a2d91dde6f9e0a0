package org.openstack.glanceimport.runtime;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPISpec;

/**
 * The GlanceImportStaging controller's cache of GlanceAPIs, which tells it only who uses which policy: each GlanceAPI
 * is kept as its identity and {@code spec.stagingRef}. The GlanceAPI controller caches them whole already; a second
 * whole copy (spec, status, claims, conditions) of every GlanceAPI would only cost memory.
 */
public final class PolicyUsersItemStore extends TrimmedItemStore<GlanceAPI> {

    @Override
    protected GlanceAPI kept(GlanceAPI api) {
        GlanceAPI user = new GlanceAPI();
        var meta = api.getMetadata();
        // what the informer compares (resourceVersion) and what JOSDK maps and indexes by (name, namespace, uid)
        user.setMetadata(new ObjectMetaBuilder().withName(meta.getName()).withNamespace(meta.getNamespace()).withUid(meta.getUid())
                .withResourceVersion(meta.getResourceVersion()).withGeneration(meta.getGeneration())
                .withDeletionTimestamp(meta.getDeletionTimestamp()).build());
        GlanceAPISpec spec = new GlanceAPISpec();
        spec.stagingRef = api.getSpec() == null ? null : api.getSpec().stagingRef;
        user.setSpec(spec);
        return user;
    }
}
