package org.openstack.glanceimport.dependent;

import java.util.Map;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.naming.Names;

/** The shape every maintenance CronJob of a GlanceAPI shares. */
final class CronJobs {

    private CronJobs() {
    }

    /**
     * Never two runs at once, no pile-up of missed runs while a node is down, one finished Job kept to read its logs,
     * and a bound on how long a stuck run may hold its volume.
     */
    static CronJob of(GlanceAPI api, String name, String schedule, Map<String, String> labels, PodSpec pod) {
        return new CronJobBuilder()
                .withMetadata(Names.metadata(api, name))
                .editMetadata().addToLabels(labels).endMetadata()
                .withNewSpec()
                .withSchedule(schedule)
                .withConcurrencyPolicy("Forbid")
                .withStartingDeadlineSeconds(300L)
                .withSuccessfulJobsHistoryLimit(1)
                .withFailedJobsHistoryLimit(3)
                .withNewJobTemplate()
                .withNewMetadata().withLabels(Names.labels(api)).addToLabels(labels).endMetadata()
                .withNewSpec()
                .withBackoffLimit(2)
                .withActiveDeadlineSeconds(3600L)
                .withNewTemplate()
                .withNewMetadata().withLabels(Names.jobPodLabels(api)).addToLabels(labels).endMetadata()
                .withSpec(pod)
                .endTemplate()
                .endSpec()
                .endJobTemplate()
                .endSpec()
                .build();
    }
}
