package org.openstack.glanceimport.controller;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.pod.NetworkAttachments;
import org.openstack.glanceimport.runtime.TrimmedItemStore;

/**
 * The glance-api pods, watched for what Multus writes on them (status.networkAddresses): the operator's own pods only
 * (Names.API_PODS_SELECTOR: not the Job pods nor the stage-host stand-ins),
 * and a pod wakes its GlanceAPI only when its network-status annotation appears, changes or goes with it. Everything
 * else a pod goes through (scheduling, readiness, restarts) already reaches the GlanceAPI through its StatefulSet's status,
 * so a roll costs no reconcile more than before.
 */
final class ApiPodsSource {

    static final String NAME = "api-pods";

    private ApiPodsSource() {
    }

    static InformerEventSource<Pod, GlanceAPI> create(EventSourceContext<GlanceAPI> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, GlanceAPI.class)
                .withName(NAME)
                .withItemStore(new TrimmedItemStore<>())
                .withLabelSelector(Names.API_PODS_SELECTOR)
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(ApiPodsSource::owner)
                .withOnAddFilter(ApiPodsSource::reported)
                .withOnUpdateFilter((now, before) -> !Objects.equals(networkStatus(now), networkStatus(before)))
                .withOnDeleteFilter((pod, unknownState) -> reported(pod))
                .build(), context);
    }

    /** The GlanceAPI a pod belongs to, by the label its pod template gives it (Names.labels). */
    static Set<ResourceID> owner(Pod pod) {
        String api = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(Names.GLANCEAPI_LABEL);
        return api == null ? Set.of() : Set.of(new ResourceID(api, pod.getMetadata().getNamespace()));
    }

    private static boolean reported(Pod pod) {
        return networkStatus(pod) != null;
    }

    private static String networkStatus(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(NetworkAttachments.NETWORK_STATUS_ANNOTATION);
    }
}
