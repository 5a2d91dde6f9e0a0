package org.openstack.glanceimport.support;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Plays the part of Kubernetes' StatefulSet controller, which the mock API server does not run: it reports the pods of a
 * StatefulSet as created and ready, the way the real controller would once they pass their probes.
 */
public final class StatefulSetController {

    private StatefulSetController() {
    }

    public static void markReady(KubernetesClient client, String ns, String name) {
        StatefulSet sts = client.apps().statefulSets().inNamespace(ns).withName(name).get();
        int replicas = sts.getSpec().getReplicas();
        sts.setStatus(new StatefulSetStatusBuilder()
                .withObservedGeneration(sts.getMetadata().getGeneration())
                .withReplicas(replicas)
                .withReadyReplicas(replicas)
                .withAvailableReplicas(replicas)
                .withUpdatedReplicas(replicas)
                .withCurrentRevision(name + "-1")
                .withUpdateRevision(name + "-1")
                .build());
        client.apps().statefulSets().inNamespace(ns).resource(sts).updateStatus();
    }
}
