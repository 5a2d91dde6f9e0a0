package org.openstack.glanceimport.pod;

import java.util.LinkedHashMap;
import java.util.List;

import io.fabric8.kubernetes.api.model.ObjectMeta;

import org.openstack.glanceimport.api.GlanceAPISpec;

/**
 * The Multus request on a pod: spec.networkAttachments as the {@code k8s.v1.cni.cncf.io/networks} annotation, the
 * comma-separated list of NetworkAttachmentDefinitions ({@code name} or {@code namespace/name}) Multus attaches the pod
 * to besides the pod network.
 */
public final class NetworkAttachments {

    /** What a pod asks Multus for. */
    public static final String NETWORKS_ANNOTATION = "k8s.v1.cni.cncf.io/networks";
    /** What Multus writes back on the pod once its interfaces exist. */
    public static final String NETWORK_STATUS_ANNOTATION = "k8s.v1.cni.cncf.io/network-status";

    private NetworkAttachments() {
    }

    /**
     * Adds the annotation to a pod's (or pod template's) metadata when the spec asks for attachments. Without any, the
     * metadata is left exactly as it was (no annotation, not even an empty map): pod templates stay byte-identical, so
     * nothing rolls.
     */
    public static void addTo(ObjectMeta pod, GlanceAPISpec spec) {
        List<String> networks = spec.networkAttachments;
        if (networks == null || networks.isEmpty()) {
            return;
        }
        if (pod.getAnnotations() == null) {
            pod.setAnnotations(new LinkedHashMap<>());
        }
        pod.getAnnotations().put(NETWORKS_ANNOTATION, String.join(",", networks));
    }
}
