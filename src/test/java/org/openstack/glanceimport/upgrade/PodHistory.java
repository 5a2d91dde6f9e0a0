package org.openstack.glanceimport.upgrade;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * Every pod a namespace has had, by name: the uids in the order they appeared, and each uid's revision label; and when
 * each StatefulSet was last seen rolling and then rolled out (from every watch event, so no poll interval hides a roll).
 */
final class PodHistory implements AutoCloseable {

    static final String REVISION = "controller-revision-hash";

    private final Map<String, List<String>> uids = new LinkedHashMap<>();
    private final Map<String, String> revisions = new LinkedHashMap<>();
    private final SharedIndexInformer<Pod> informer;
    private final SharedIndexInformer<StatefulSet> statefulSets;
    /** Per StatefulSet: nanoTime of the last event that showed it rolling, and of the first after it that did not. */
    private final Map<String, long[]> rolls = new LinkedHashMap<>();

    PodHistory(KubernetesClient admin, String namespace) {
        informer = admin.pods().inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                seen(pod);
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                seen(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
            }
        });
        statefulSets = admin.apps().statefulSets().inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(StatefulSet sts) {
                seen(sts);
            }

            @Override
            public void onUpdate(StatefulSet old, StatefulSet sts) {
                seen(sts);
            }

            @Override
            public void onDelete(StatefulSet sts, boolean unknown) {
            }
        });
    }

    /** Every pod of the update revision and ready, the controller having seen the latest spec. */
    static boolean rolledOut(StatefulSet sts) {
        var s = sts.getStatus();
        int replicas = sts.getSpec().getReplicas();
        return s != null && sts.getMetadata().getGeneration().equals(s.getObservedGeneration()) && s.getUpdateRevision() != null
                && s.getUpdateRevision().equals(s.getCurrentRevision()) && n(s.getUpdatedReplicas()) == replicas
                && n(s.getReadyReplicas()) == replicas && n(s.getReplicas()) == replicas;
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
    }

    private synchronized void seen(StatefulSet sts) {
        long[] times = rolls.computeIfAbsent(sts.getMetadata().getName(), n -> new long[] { 0, 0 });
        long now = System.nanoTime();
        if (!rolledOut(sts)) {
            times[0] = now;
            times[1] = 0;
        } else if (times[1] == 0) {
            times[1] = now;
        }
    }

    /**
     * Milliseconds from {@code start} until the StatefulSet was rolled out after its last roll; 0 if it did not roll
     * since {@code start}; -1 if it is rolling.
     */
    synchronized long rolledOutMs(String name, long start) {
        long[] times = rolls.get(name);
        if (times == null || times[0] != 0 && times[1] == 0) {
            return -1;
        }
        return times[0] < start ? 0 : (times[1] - start) / 1_000_000;
    }

    private synchronized void seen(Pod pod) {
        List<String> list = uids.computeIfAbsent(pod.getMetadata().getName(), n -> new ArrayList<>());
        String uid = pod.getMetadata().getUid();
        if (!list.contains(uid)) {
            list.add(uid);
            String revision = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(REVISION);
            revisions.put(uid, revision == null ? "" : revision);
        }
    }

    /** A copy: pod name to the uids it had so far. */
    synchronized Map<String, List<String>> uids() {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        uids.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    synchronized String revision(String uid) {
        return revisions.get(uid);
    }

    @Override
    public void close() {
        informer.close();
        statefulSets.close();
    }
}
