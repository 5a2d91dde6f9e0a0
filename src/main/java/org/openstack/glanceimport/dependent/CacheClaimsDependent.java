package org.openstack.glanceimport.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.imagecache.ImageCache;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.runtime.TrimmedItemStore;

/**
 * The per-pod image cache claims {@code image-cache-<name>-<i>}. Created by the operator, like the staging claims (so a
 * larger size grows them in place where the StorageClass allows), but always owned by the GlanceAPI: a cache is
 * disposable, it goes with the GlanceAPI, and with its pod on scale-down.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_BY_SELECTOR + "," + CacheClaimsDependent.CACHE_LABEL + "=true", itemStore = TrimmedItemStore.class))
public class CacheClaimsDependent extends PodClaimsDependent {

    public static final String CACHE_LABEL = "import.glance.openstack.org/image-cache";

    @Override
    protected boolean wanted(GlanceAPI api) {
        return api.getSpec().imageCache != null;
    }

    @Override
    protected PersistentVolumeClaim claim(GlanceAPI api, Context<GlanceAPI> context, int ordinal) {
        return claim(api, ordinal);
    }

    @Override
    protected boolean isMine(PersistentVolumeClaim claim) {
        return isCache(claim);
    }

    static boolean isCache(HasMetadata resource) {
        return resource.getMetadata().getLabels() != null && "true".equals(resource.getMetadata().getLabels().get(CACHE_LABEL));
    }

    static PersistentVolumeClaim claim(GlanceAPI api, int ordinal) {
        ImageCache cache = api.getSpec().imageCache;
        return perPodClaim(api, Names.cacheClaim(api, ordinal), ordinal, CACHE_LABEL, "true", "ReadWriteOnce", cache.size,
                cache.storageClassName, true);
    }
}
