package org.openstack.glanceimport.dependent;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.config.RenderedConfig;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.plan.ReconcilePlan;
import org.openstack.glanceimport.pod.GlancePod;
import org.openstack.glanceimport.runtime.TrimmedItemStore;

/**
 * Job {@code <name>-db-sync-<hash>}: runs {@code glance-manage db_sync} once per image and database. The StatefulSet is
 * created or rolled only after it succeeded, so pods never race each other on migrations. A new image or database gives
 * a new hash and so a new Job; finished Jobs of older hashes are removed by the reconciler. Create-only: a Job's
 * template is immutable, and a Job of a given hash never needs to change.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_BY_SELECTOR, itemStore = TrimmedItemStore.class))
public class DbSyncJobDependent extends KubernetesDependentResource<Job, GlanceAPI>
        implements Creator<Job, GlanceAPI>, GarbageCollected<GlanceAPI> {

    public static final String HASH_LABEL = "import.glance.openstack.org/db-sync";

    public DbSyncJobDependent() {
        super(Job.class);
    }

    public static String name(GlanceAPI api, RenderedConfig rendered) {
        return api.getMetadata().getName() + "-db-sync-" + rendered.dbSyncHash();
    }

    @Override
    protected Job desired(GlanceAPI api, Context<GlanceAPI> context) {
        RenderedConfig rendered = ReconcilePlan.of(context).rendered();
        Map<String, String> labels = Names.labels(api);
        labels.put(HASH_LABEL, rendered.dbSyncHash());
        return new JobBuilder()
                .withNewMetadata()
                .withName(name(api, rendered))
                .withNamespace(api.getMetadata().getNamespace())
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(4)
                .withNewTemplate()
                .withNewMetadata().withLabels(Names.jobPodLabels(api)).addToLabels(HASH_LABEL, rendered.dbSyncHash()).endMetadata()
                .withSpec(GlancePod.jobPod(api, context, "Never")
                        .addToContainers(GlancePod.command("db-sync", rendered, "glance-manage", List.of("db_sync")))
                        .build())
                .endTemplate()
                .endSpec()
                .build();
    }

    public static boolean succeeded(Job job) {
        return job.getStatus() != null && job.getStatus().getSucceeded() != null && job.getStatus().getSucceeded() > 0;
    }

    /** The Job's own account of its failure (e.g. BackoffLimitExceeded), or null while it has not failed. */
    public static String failure(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return null;
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
                .map(c -> c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage()))
                .findFirst().orElse(null);
    }

    /** The StatefulSet waits for this. */
    public static class Succeeded implements Condition<Job, GlanceAPI> {
        @Override
        public boolean isMet(DependentResource<Job, GlanceAPI> dependent, GlanceAPI api, Context<GlanceAPI> context) {
            return dependent.getSecondaryResource(api, context).map(DbSyncJobDependent::succeeded).orElse(false);
        }
    }
}
