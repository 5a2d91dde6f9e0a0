package org.openstack.glanceimport.status;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Pod;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.networks.AttachedNetwork;
import org.openstack.glanceimport.api.networks.PodNetworkAddresses;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.pod.NetworkAttachments;

/**
 * status.networkAddresses: each glance-api pod's addresses on the networks it is attached to, from the annotation Multus
 * writes on it (the pod network's entry left out: status.stagingClaims names the pods). Only with spec.networkAttachments;
 * without it the field is absent, as it was before the field existed.
 */
public final class NetworkAddresses {

    static final String NOT_REPORTED = "Multus has not reported this pod's networks yet (no "
            + NetworkAttachments.NETWORK_STATUS_ANNOTATION + " annotation)";

    private NetworkAddresses() {
    }

    /** @param pods any pods; only this GlanceAPI's glance-api pods are kept, in ordinal order */
    public static List<PodNetworkAddresses> of(GlanceAPI api, Stream<Pod> pods) {
        if (api.getSpec().networkAttachments == null || api.getSpec().networkAttachments.isEmpty()) {
            return null;
        }
        Map<String, String> selector = Names.selectorLabels(api);
        return pods.filter(p -> p.getMetadata().getLabels() != null && p.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                .sorted(Comparator.comparingInt(NetworkAddresses::ordinal).thenComparing(p -> p.getMetadata().getName()))
                .map(NetworkAddresses::of)
                .toList();
    }

    static PodNetworkAddresses of(Pod pod) {
        String name = pod.getMetadata().getName();
        String annotation = pod.getMetadata().getAnnotations() == null ? null
                : pod.getMetadata().getAnnotations().get(NetworkAttachments.NETWORK_STATUS_ANNOTATION);
        if (annotation == null) {
            return new PodNetworkAddresses(name, List.of(), NOT_REPORTED);
        }
        NetworkStatusAnnotation.Parsed parsed = NetworkStatusAnnotation.parse(annotation);
        if (!parsed.readable()) {
            return new PodNetworkAddresses(name, List.of(), NetworkAttachments.NETWORK_STATUS_ANNOTATION + " unreadable: "
                    + parsed.problem());
        }
        return new PodNetworkAddresses(name, parsed.entries().stream().filter(e -> !e.isDefault())
                .map(e -> new AttachedNetwork(e.name(), e.interfaceName(), e.ips())).toList(), null);
    }

    /** The StatefulSet's ordinal at the end of the pod's name; pods without one sort last. */
    private static int ordinal(Pod pod) {
        String name = pod.getMetadata().getName();
        try {
            return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }
}
