package org.openstack.glanceimport.dependent;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

import org.openstack.glanceimport.api.DatabasePurge;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.config.RenderedConfig;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.plan.ReconcilePlan;
import org.openstack.glanceimport.pod.GlancePod;
import org.openstack.glanceimport.runtime.TrimmedItemStore;

/** CronJob {@code <name>-db-purge}: glance-manage db purge of rows soft-deleted long enough ago, when databasePurge is set. */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_BY_SELECTOR + "," + DbPurgeCronJobDependent.PURGE_LABEL + "=true", itemStore = TrimmedItemStore.class))
public class DbPurgeCronJobDependent extends CRUDKubernetesDependentResource<CronJob, GlanceAPI> {

    static final String PURGE_LABEL = "import.glance.openstack.org/db-purge";

    public DbPurgeCronJobDependent() {
        super(CronJob.class);
    }

    @Override
    protected CronJob desired(GlanceAPI api, Context<GlanceAPI> context) {
        RenderedConfig rendered = ReconcilePlan.of(context).rendered();
        // JOSDK also asks for the desired object to find the one to delete once databasePurge is gone
        DatabasePurge purge = api.getSpec().databasePurge != null ? api.getSpec().databasePurge : new DatabasePurge();
        return CronJobs.of(api, Names.dbPurgeCronJob(api), purge.schedule, Map.of(PURGE_LABEL, "true"),
                GlancePod.jobPod(api, context, "OnFailure")
                        .addToContainers(GlancePod.command("db-purge", rendered, "glance-manage", List.of("db", "purge",
                                "--age_in_days", purge.ageInDays.toString(), "--max_rows", purge.maxRows.toString())))
                        .build());
    }

    public static class Enabled implements Condition<CronJob, GlanceAPI> {
        @Override
        public boolean isMet(DependentResource<CronJob, GlanceAPI> dependent, GlanceAPI api, Context<GlanceAPI> context) {
            return api.getSpec().databasePurge != null;
        }
    }
}
