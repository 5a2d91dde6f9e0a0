package org.openstack.glanceimport.status;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.networks.PodNetworkAddresses;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.pod.NetworkAttachments;

/** Multus's network-status annotation, as it writes it, read into status.networkAddresses; what it cannot be read as. */
class NetworkAddressesTest {

    /** Exactly what Multus writes on a pod with one attachment (OVN-Kubernetes as the pod network). */
    static final String MULTUS = "[{\"name\":\"ovn-kubernetes\",\"interface\":\"eth0\",\"ips\":[\"10.128.0.12\"],"
            + "\"mac\":\"0a:58:0a:80:00:0c\",\"default\":true,\"dns\":{}},{\"name\":\"openstack/storage\",\"interface\":\"net1\","
            + "\"ips\":[\"172.18.0.31\"],\"mac\":\"52:8e:1b:01:6b:4f\",\"dns\":{}}]";

    @Test
    void readsMultusAnnotationIgnoringWhatItDoesNotNeed() {
        NetworkStatusAnnotation.Parsed parsed = NetworkStatusAnnotation.parse(MULTUS);
        assertTrue(parsed.readable());
        assertEquals(List.of(new NetworkStatusAnnotation.Entry("ovn-kubernetes", "eth0", List.of("10.128.0.12"), true),
                new NetworkStatusAnnotation.Entry("openstack/storage", "net1", List.of("172.18.0.31"), false)), parsed.entries());
    }

    @Test
    void malformedAnnotationsAreReportedNotThrown() {
        for (String bad : List.of("", "   ", "{", "not json", "{\"name\":\"x\"}", "[1,2]", "[null]", "[{\"ips\":\"172.18.0.31\"}]",
                "[{\"name\":\"a\"}] trailing", "\"a string\"")) {
            NetworkStatusAnnotation.Parsed parsed = NetworkStatusAnnotation.parse(bad);
            assertFalse(parsed.readable(), "read as entries: " + bad + " -> " + parsed.entries());
            assertEquals(List.of(), parsed.entries());
        }
        // entries with fields missing are still entries: nothing to report, nothing to fail on
        NetworkStatusAnnotation.Parsed sparse = NetworkStatusAnnotation.parse("[{\"name\":\"openstack/storage\"}]");
        assertTrue(sparse.readable());
        assertEquals(List.of(), sparse.entries().get(0).ips());
    }

    @Test
    void statusListsEachApiPodsAttachedNetworksInOrdinalOrder() {
        GlanceAPI api = api(List.of("openstack/storage"));
        List<PodNetworkAddresses> status = NetworkAddresses.of(api, Stream.of(
                pod("glance-10", Names.labels(api), "[{\"name\":\"openstack/storage\",\"interface\":\"net1\",\"ips\":[\"172.18.0.40\"]}]"),
                pod("glance-0", Names.labels(api), MULTUS),
                pod("glance-2", Names.labels(api), null),
                pod("glance-3", Names.labels(api), "[oops"),
                // a stand-in, a Job's pod, another GlanceAPI's pod: not this GlanceAPI's API pods
                pod("glance-stage-host-1", Names.jobPodLabels(api), MULTUS),
                pod("other-0", Map.of("app.kubernetes.io/name", "glance-api", "app.kubernetes.io/instance", "other"), MULTUS)));

        assertEquals(List.of("glance-0", "glance-2", "glance-3", "glance-10"), status.stream().map(p -> p.pod).toList());
        PodNetworkAddresses first = status.get(0);
        assertNull(first.message);
        assertEquals(1, first.networks.size(), "the pod network's entry is left out");
        assertEquals("openstack/storage", first.networks.get(0).name);
        assertEquals("net1", first.networks.get(0).interfaceName);
        assertEquals(List.of("172.18.0.31"), first.networks.get(0).ips);
        assertEquals(NetworkAddresses.NOT_REPORTED, status.get(1).message);
        assertTrue(status.get(2).message.startsWith(NetworkAttachments.NETWORK_STATUS_ANNOTATION + " unreadable"), status.get(2).message);
        assertEquals(List.of(), status.get(2).networks);
        // the status field says "interface", as Multus does
        assertTrue(Serialization.asJson(first).contains("\"interface\":\"net1\""), Serialization.asJson(first));
    }

    @Test
    void withoutAttachmentsThereIsNoField() {
        assertNull(NetworkAddresses.of(api(null), Stream.of(pod("glance-0", Names.labels(api(null)), MULTUS))));
        assertNull(NetworkAddresses.of(api(List.of()), Stream.of()));
    }

    private static GlanceAPI api(List<String> attachments) {
        GlanceAPI api = new GlanceAPI();
        api.setMetadata(new ObjectMetaBuilder().withName("glance").withNamespace("openstack").build());
        api.setSpec(new GlanceAPISpec());
        api.getSpec().networkAttachments = attachments;
        return api;
    }

    private static Pod pod(String name, Map<String, String> labels, String networkStatus) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace("openstack").withLabels(labels).endMetadata();
        if (networkStatus != null) {
            pod.editMetadata().addToAnnotations(NetworkAttachments.NETWORK_STATUS_ANNOTATION, networkStatus).endMetadata();
        }
        return pod.build();
    }
}
