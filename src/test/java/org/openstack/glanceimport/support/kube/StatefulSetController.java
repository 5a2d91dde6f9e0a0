package org.openstack.glanceimport.support.kube;

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

    /** Reports ready every StatefulSet of the namespace that is not in {@code marked} yet, and adds it there. */
    public static void markNewReady(KubernetesClient client, String ns, java.util.Set<String> marked) {
        for (StatefulSet sts : client.apps().statefulSets().inNamespace(ns).list().getItems()) {
            if (marked.add(sts.getMetadata().getName())) {
                markReady(client, ns, sts.getMetadata().getName());
            }
        }
    }

    public static void markReady(KubernetesClient client, String ns, String name) {
        StatefulSet sts = client.apps().statefulSets().inNamespace(ns).withName(name).get();
        int replicas = sts.getSpec().getReplicas();
        report(client, ns, name, replicas, replicas, name + "-1");
    }

    /** What the controller reports while pods come and go: pods that exist, pods ready, the revision they run. */
    public static void report(KubernetesClient client, String ns, String name, int replicas, int ready, String revision) {
        StatefulSet sts = client.apps().statefulSets().inNamespace(ns).withName(name).get();
        sts.setStatus(new StatefulSetStatusBuilder()
                .withObservedGeneration(sts.getMetadata().getGeneration())
                .withReplicas(replicas)
                .withReadyReplicas(ready)
                .withAvailableReplicas(ready)
                .withUpdatedReplicas(replicas)
                .withCurrentRevision(revision)
                .withUpdateRevision(revision)
                .build());
        client.apps().statefulSets().inNamespace(ns).resource(sts).updateStatus();
    }
}
