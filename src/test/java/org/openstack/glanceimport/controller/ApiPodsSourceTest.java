package org.openstack.glanceimport.controller;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.naming.Names;

/** The pods informer sees the glance-api pods the StatefulSet makes from its template, and maps each to its GlanceAPI. */
class ApiPodsSourceTest {

    private static final Map<String, String> SELECTOR = Arrays.stream(Names.API_PODS_SELECTOR.split(","))
            .map(s -> s.split("=")).collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));

    @Test
    void selectsTheApiPodsOnlyAndMapsThemToTheirGlanceApi() {
        GlanceAPI api = new GlanceAPI();
        api.setMetadata(new ObjectMetaBuilder().withName("glance").withNamespace("openstack").build());
        assertTrue(Names.labels(api).entrySet().containsAll(SELECTOR.entrySet()), "the pod template's labels: " + Names.labels(api));
        assertFalse(Names.jobPodLabels(api).entrySet().containsAll(SELECTOR.entrySet()), "Job pods and stand-ins are not watched");
        assertEquals(Set.of(new ResourceID("glance", "openstack")), ApiPodsSource.owner(new PodBuilder().withNewMetadata()
                .withName("glance-0").withNamespace("openstack").withLabels(Names.labels(api)).endMetadata().build()));
        assertEquals(Set.of(), ApiPodsSource.owner(new PodBuilder().withNewMetadata().withName("x").withNamespace("openstack")
                .endMetadata().build()));
    }
}
