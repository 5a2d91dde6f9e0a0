package org.openstack.glanceimport.delivery;

import java.util.List;

import io.fabric8.kubernetes.api.model.PodSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The "restricted" Pod Security Standard, as far as the operator's own pod spec decides it. */
final class Restricted {

    private Restricted() {
    }

    static void assertRestricted(PodSpec pod) {
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        pod.getContainers().forEach(c -> {
            var sc = c.getSecurityContext();
            assertTrue(sc.getRunAsNonRoot(), c.getName());
            assertFalse(sc.getAllowPrivilegeEscalation(), c.getName());
            assertTrue(sc.getReadOnlyRootFilesystem(), c.getName());
            assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), c.getName());
            assertEquals("RuntimeDefault", sc.getSeccompProfile().getType(), c.getName());
            // readOnlyRootFilesystem needs a writable /tmp for Quarkus/Vert.x
            assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")), c.getName());
        });
    }
}
