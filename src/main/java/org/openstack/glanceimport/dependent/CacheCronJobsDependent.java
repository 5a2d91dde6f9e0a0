package org.openstack.glanceimport.dependent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.config.GlancePaths;
import org.openstack.glanceimport.config.RenderedConfig;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.plan.ReconcilePlan;
import org.openstack.glanceimport.pod.GlancePod;
import org.openstack.glanceimport.pod.NetworkAttachments;
import org.openstack.glanceimport.runtime.TrimmedItemStore;

/**
 * CronJobs {@code <name>-cache-<i>}, one per pod: glance-cache-pruner then glance-cache-cleaner on that pod's cache
 * claim. A cache claim is ReadWriteOnce and the cache index is local, so the Job must run where the pod runs: required
 * pod affinity to that one pod puts it on the same node, where the claim is already attached.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_BY_SELECTOR + "," + CacheClaimsDependent.CACHE_LABEL + "=true", itemStore = TrimmedItemStore.class))
public class CacheCronJobsDependent extends KubernetesDependentResource<CronJob, GlanceAPI>
        implements CRUDKubernetesBulkDependentResource<CronJob, GlanceAPI>, KubernetesBulkDependentResource<CronJob, GlanceAPI>,
        // owned by the GlanceAPI (JOSDK sets the owner reference), so Kubernetes deletes them with it: no finalizer
        GarbageCollected<GlanceAPI> {

    /** The label the StatefulSet controller puts on each of its pods. */
    static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";

    public CacheCronJobsDependent() {
        super(CronJob.class);
    }

    @Override
    public Map<ResourceID, CronJob> desiredResources(GlanceAPI api, Context<GlanceAPI> context) {
        RenderedConfig rendered = ReconcilePlan.of(context).rendered();
        Map<ResourceID, CronJob> desired = new HashMap<>();
        if (api.getSpec().imageCache == null) {
            return desired;
        }
        for (int i = 0; i < ReconcilePlan.of(context).target(); i++) {
            CronJob job = cronJob(api, context, rendered, i);
            desired.put(ResourceID.fromResource(job), job);
        }
        return desired;
    }

    /** The database purge CronJob reaches this dependent too; it is not one to prune. */
    @Override
    public Map<ResourceID, CronJob> getSecondaryResources(GlanceAPI api, Context<GlanceAPI> context) {
        return PodClaimsDependent.ofKind(context, CronJob.class, CacheClaimsDependent::isCache);
    }

    static CronJob cronJob(GlanceAPI api, Context<GlanceAPI> context, RenderedConfig rendered, int ordinal) {
        String pod = Names.pod(api, ordinal);
        var spec = GlancePod.jobPod(api, context, "OnFailure")
                .addToVolumes(new VolumeBuilder().withName(Names.CACHE_VOLUME).withNewPersistentVolumeClaim()
                        .withClaimName(Names.cacheClaim(api, ordinal)).endPersistentVolumeClaim().build())
                // the pod's staging claim holds the lock directory glance-api locks its cache index in
                .addToVolumes(new VolumeBuilder().withName(Names.STAGING_VOLUME).withNewPersistentVolumeClaim()
                        .withClaimName(Names.stagingClaim(api, ordinal)).endPersistentVolumeClaim().build())
                // the pruner frees space first, so the cleaner's scan of what is left is short
                .addToInitContainers(withCache(GlancePod.command("cache-pruner", rendered, "glance-cache-pruner", List.of()), api, ordinal))
                .addToContainers(withCache(GlancePod.command("cache-cleaner", rendered, "glance-cache-cleaner", List.of()), api, ordinal))
                .withAffinity(new AffinityBuilder().withNewPodAffinity()
                        .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                        .withTopologyKey("kubernetes.io/hostname")
                        .withNewLabelSelector().addToMatchLabels(POD_NAME_LABEL, pod).endLabelSelector()
                        .endRequiredDuringSchedulingIgnoredDuringExecution()
                        .endPodAffinity().build())
                .build();
        CronJob cronJob = CronJobs.of(api, Names.cacheCronJob(api, ordinal), api.getSpec().imageCache.schedule,
                Map.of(CacheClaimsDependent.CACHE_LABEL, "true", Names.ORDINAL_LABEL, Integer.toString(ordinal)), spec);
        // the pruner and cleaner stand in for their pod (its URL, its claims, its node) and load its whole configuration,
        // stores included: they join the networks their pod joins. The database CronJob and Job (db purge, db-sync) reach
        // only the database, on the pod network, and get no attachment
        NetworkAttachments.addTo(cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getMetadata(), api.getSpec());
        return cronJob;
    }

    /**
     * From Glance 30 the cache index is in Glance's database (centralized_db), each entry keyed by its pod's URL: without
     * that URL the pruner finds what to evict but never evicts it, and runs until killed (measured on Glance 30.0.0).
     */
    private static Container withCache(Container container, GlanceAPI api, int ordinal) {
        return new ContainerBuilder(container).addToVolumeMounts(GlancePod.mount(Names.CACHE_VOLUME, GlancePaths.CACHE_DIR, false),
                GlancePod.mount(Names.STAGING_VOLUME, GlancePaths.STATE_DIR, false))
                .addNewEnv().withName(StatefulSetDependent.SELF_REFERENCE_ENV).withValue(Names.selfReferenceUrl(api, ordinal)).endEnv()
                .build();
    }
}
