package org.openstack.glanceimport.support.kube;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Plays Kubernetes' Job controller, which the mock API server does not run: every Job completes at once, except in
 * namespaces whose name starts with {@code dbfail-}, where it fails the way a broken migration would.
 */
@ApplicationScoped
public class JobController {

    public static final String FAILING_NAMESPACE_PREFIX = "dbfail-";
    /** Off where a real Job controller runs (RealApiServerProfile). */
    public static final String ENABLED = "tests.stand-in-job-controller";

    private SharedIndexInformer<Job> informer;

    void start(@Observes StartupEvent event, @AsUser KubernetesClient client,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = ENABLED, defaultValue = "true") boolean enabled) {
        if (!enabled) {
            return;
        }
        informer = client.batch().v1().jobs().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Job job) {
                finish(client, job);
            }

            @Override
            public void onUpdate(Job old, Job job) {
            }

            @Override
            public void onDelete(Job job, boolean unknown) {
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        if (informer != null) {
            informer.close();
        }
    }

    /** Completes (or fails, in a dbfail- namespace) a Job that has no outcome yet, as the Job controller would. */
    public static void finish(KubernetesClient client, Job job) {
        if (job.getStatus() != null && job.getStatus().getConditions() != null && !job.getStatus().getConditions().isEmpty()) {
            return;
        }
        boolean fail = job.getMetadata().getNamespace().startsWith(FAILING_NAMESPACE_PREFIX);
        String now = Instant.now().toString();
        job.setStatus(new JobStatusBuilder()
                .withStartTime(now)
                .withSucceeded(fail ? 0 : 1)
                .withFailed(fail ? 5 : 0)
                .withConditions(new JobConditionBuilder()
                        .withType(fail ? "Failed" : "Complete")
                        .withStatus("True")
                        .withReason(fail ? "BackoffLimitExceeded" : null)
                        .withMessage(fail ? "Job has reached the specified backoff limit" : null)
                        .withLastTransitionTime(now)
                        .build())
                .build());
        client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).resource(job).updateStatus();
    }
}
