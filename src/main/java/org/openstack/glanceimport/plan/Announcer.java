package org.openstack.glanceimport.plan;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * How a dependent tells users what it did on its own initiative (deleted a claim, replaced the StatefulSet). The
 * reconciler puts its Event recorder into the workflow context under this type, so this package needs nothing of the
 * controller package.
 */
public interface Announcer {

    void normal(HasMetadata about, String reason, String message);

    static void normal(io.javaoperatorsdk.operator.api.reconciler.Context<?> context, HasMetadata about, String reason, String message) {
        context.managedWorkflowAndDependentResourceContext().get(Announcer.class, Announcer.class)
                .ifPresent(announcer -> announcer.normal(about, reason, message));
    }
}
