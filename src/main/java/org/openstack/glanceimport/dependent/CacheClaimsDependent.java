package org.openstack.glanceimport.dependent;

import java.util.HashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.ImageCache;

/**
 * The per-pod image cache claims {@code image-cache-<name>-<i>}. Created by the operator, like the staging claims, so
 * they carry an owner reference (a cache is disposable: it goes with the GlanceAPI, and with the pod on scale-down)
 * while the StatefulSet keeps both kinds of claims under its Retain policy.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_BY_SELECTOR + "," + CacheClaimsDependent.CACHE_LABEL + "=true"))
public class CacheClaimsDependent extends KubernetesDependentResource<PersistentVolumeClaim, GlanceAPI>
        implements CRUDKubernetesBulkDependentResource<PersistentVolumeClaim, GlanceAPI>,
        KubernetesBulkDependentResource<PersistentVolumeClaim, GlanceAPI> {

    public static final String CACHE_LABEL = "import.glance.openstack.org/image-cache";

    public CacheClaimsDependent() {
        super(PersistentVolumeClaim.class);
    }

    @Override
    public Map<ResourceID, PersistentVolumeClaim> desiredResources(GlanceAPI api, Context<GlanceAPI> context) {
        Map<ResourceID, PersistentVolumeClaim> desired = new HashMap<>();
        if (api.getSpec().imageCache == null) {
            return desired;
        }
        int mayRun = StagingClaimsDependent.podsThatMayRun(api, context);
        for (int i = 0; i < mayRun; i++) {
            PersistentVolumeClaim claim = claim(api, i);
            desired.put(ResourceID.fromResource(claim), claim);
        }
        // a terminating pod may still have its cache mounted
        getSecondaryResources(api, context).values().stream()
                .map(StagingClaimsDependent::ordinal)
                .filter(i -> i != null && i >= mayRun && StagingClaimsDependent.podExists(api, i, context))
                .forEach(i -> desired.put(new ResourceID(Names.cacheClaim(api, i), api.getMetadata().getNamespace()), claim(api, i)));
        return desired;
    }

    /** Secondary claims of every kind reach each claims dependent; the staging claims are not ours to prune. */
    @Override
    public Map<ResourceID, PersistentVolumeClaim> getSecondaryResources(GlanceAPI api, Context<GlanceAPI> context) {
        return ofKind(context, PersistentVolumeClaim.class, CacheClaimsDependent::isCache);
    }

    /**
     * A bulk dependent's own secondaries. JOSDK hands over those of every informer of the type, so a resource two
     * informers see comes twice: pick by kind, keep one of each.
     */
    static <R extends io.fabric8.kubernetes.api.model.HasMetadata> Map<ResourceID, R> ofKind(Context<GlanceAPI> context, Class<R> type,
            java.util.function.Predicate<R> kind) {
        return context.getSecondaryResourcesAsStream(type).filter(kind)
                .collect(java.util.stream.Collectors.toMap(ResourceID::fromResource, r -> r, (a, b) -> a));
    }

    static boolean isCache(io.fabric8.kubernetes.api.model.HasMetadata resource) {
        return resource.getMetadata().getLabels() != null && "true".equals(resource.getMetadata().getLabels().get(CACHE_LABEL));
    }

    static PersistentVolumeClaim claim(GlanceAPI api, int ordinal) {
        ImageCache cache = api.getSpec().imageCache;
        return StagingClaimsDependent.perPodClaim(api, Names.cacheClaim(api, ordinal), ordinal, CACHE_LABEL, "true", "ReadWriteOnce",
                cache.size, cache.storageClassName, true);
    }

    @Override
    protected boolean addOwnerReference() {
        return false;
    }

    /** A bound claim's spec belongs to Kubernetes; a new size applies to claims created after the change. */
    @Override
    public Matcher.Result<PersistentVolumeClaim> match(PersistentVolumeClaim actual, PersistentVolumeClaim desired, GlanceAPI api,
            Context<GlanceAPI> context) {
        return Matcher.Result.computed(StagingClaimsDependent.carriesLabels(actual, desired), desired);
    }
}
