package org.openstack.glanceimport.glance;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.naming.Names;

/**
 * When the glance-api container of a GlanceAPI's pod started: whether an import can still be running there. The operator
 * does not cache its pods (a watch of every pod for what an import rarely needs); the scan of Glance's database reads the
 * pods imports run on, one GET each per scan, and only while it finds imports.
 */
final class GlanceApiContainers {

    private GlanceApiContainers() {
    }

    /** Ordinal to start time (each pod read once); empty while the pod or its glance-api does not run, or cannot be read. */
    static Function<Integer, Optional<Instant>> startedAt(KubernetesClient client, GlanceAPI api) {
        Map<Integer, Optional<Instant>> read = new HashMap<>();
        return ordinal -> read.computeIfAbsent(ordinal, i -> {
            try {
                Pod pod = client.pods().inNamespace(api.getMetadata().getNamespace()).withName(Names.pod(api, i)).get();
                return pod == null ? Optional.empty() : startedAt(pod);
            } catch (KubernetesClientException e) {
                return Optional.empty();
            }
        });
    }

    static Optional<Instant> startedAt(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream().filter(c -> Names.GLANCE_API_CONTAINER.equals(c.getName()))
                .findFirst().map(ContainerStatus::getState).filter(s -> s.getRunning() != null && s.getRunning().getStartedAt() != null)
                .map(s -> Instant.parse(s.getRunning().getStartedAt()));
    }
}
