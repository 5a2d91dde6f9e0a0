package org.openstack.glanceimport.support.kube;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * Plays what a real API server runs without: a node's kubelet, which reports about the pods the real StatefulSet and
 * Job controllers create (a Job's pod succeeds, as a migration that ran; any other pod runs and is Ready), and the volume
 * binder, which binds every claim at its requested size. Everything else (revisions, rolls, readyReplicas, Job
 * completion, garbage collection) is the real controllers' work.
 */
public final class NodeStandIn implements AutoCloseable {

    private final SharedIndexInformer<Pod> informer;
    private final SharedIndexInformer<PersistentVolumeClaim> claims;
    private final AtomicInteger ips = new AtomicInteger(10);

    public NodeStandIn(KubernetesClient admin, String namespace) {
        informer = admin.pods().inNamespace(namespace).inform(onAddOrUpdate(pod -> report(admin, pod)));
        claims = admin.persistentVolumeClaims().inNamespace(namespace).inform(onAddOrUpdate(claim -> bind(admin, claim)));
    }

    /** Acts on every state an object is seen in; a deleted one needs nothing. */
    private static <T> ResourceEventHandler<T> onAddOrUpdate(java.util.function.Consumer<T> act) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                act.accept(object);
            }

            @Override
            public void onUpdate(T old, T object) {
                act.accept(object);
            }

            @Override
            public void onDelete(T object, boolean unknown) {
            }
        };
    }

    private static void bind(KubernetesClient admin, PersistentVolumeClaim claim) {
        var requested = claim.getSpec().getResources().getRequests().get("storage");
        if (claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase())
                && requested.equals(claim.getStatus().getCapacity().get("storage"))) {
            return;
        }
        claim.setStatus(new PersistentVolumeClaimStatusBuilder().withPhase("Bound")
                .withAccessModes(claim.getSpec().getAccessModes()).addToCapacity("storage", requested).build());
        try {
            admin.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace()).resource(claim).updateStatus();
        } catch (KubernetesClientException conflictOrGone) {
            // the next event of this claim binds it again
        }
    }

    private void report(KubernetesClient admin, Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() != null && pod.getStatus().getPhase() != null
                && !"Pending".equals(pod.getStatus().getPhase())) {
            return;
        }
        boolean job = pod.getMetadata().getOwnerReferences().stream().anyMatch(o -> "Job".equals(o.getKind()));
        String now = Instant.now().toString();
        pod.setStatus(new PodStatusBuilder()
                .withPhase(job ? "Succeeded" : "Running")
                .withPodIP("10.1.0." + ips.incrementAndGet() % 250)
                .withStartTime(now)
                .withConditions(new PodConditionBuilder().withType("Ready").withStatus(job ? "False" : "True")
                        .withLastTransitionTime(now).build())
                .build());
        try {
            admin.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).updateStatus();
        } catch (KubernetesClientException conflictOrGone) {
            // the next event of this pod reports it again
        }
    }

    @Override
    public void close() {
        informer.close();
        claims.close();
    }
}
