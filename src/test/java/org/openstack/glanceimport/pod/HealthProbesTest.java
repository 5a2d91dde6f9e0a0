package org.openstack.glanceimport.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.probes.ProbeTimings;
import org.openstack.glanceimport.api.probes.Probes;

class HealthProbesTest {

    private static String timings(Probe p) {
        return p.getInitialDelaySeconds() + "/" + p.getPeriodSeconds() + "/" + p.getTimeoutSeconds() + "/" + p.getFailureThreshold();
    }

    @Test
    void defaultsAreTheTimingsBeforeTheyCouldBeSet() {
        Container c = HealthProbes.serving(new ContainerBuilder(), new GlanceAPISpec(), "http", "HTTP").build();
        assertEquals("null/5/5/60", timings(c.getStartupProbe()));
        assertEquals("null/10/5/3", timings(c.getReadinessProbe()));
        assertEquals("null/20/5/3", timings(c.getLivenessProbe()));
        assertEquals("/healthcheck", c.getLivenessProbe().getHttpGet().getPath());
        assertEquals("HTTP", c.getLivenessProbe().getHttpGet().getScheme());
        Probe inside = HealthProbes.livenessFromInside(new GlanceAPISpec(), 19292);
        assertEquals("30/20/5/3", timings(inside));
        assertTrue(inside.getExec().getCommand().get(2).endsWith("urlopen('http://localhost:19292/healthcheck', timeout=4)"),
                inside.getExec().getCommand().toString());
    }

    @Test
    void givenTimingsOverrideOnlyWhatTheySet() {
        GlanceAPISpec spec = new GlanceAPISpec();
        spec.probes = new Probes();
        spec.probes.liveness = new ProbeTimings(null, null, 30, 10);
        spec.probes.startup = new ProbeTimings(15, null, null, null);
        Container c = HealthProbes.serving(new ContainerBuilder(), spec, "https", "HTTPS").build();
        assertEquals("15/5/5/60", timings(c.getStartupProbe()));
        assertEquals("null/10/5/3", timings(c.getReadinessProbe()));
        assertEquals("null/20/30/10", timings(c.getLivenessProbe()));
        Probe inside = HealthProbes.livenessFromInside(spec, 19292);
        assertEquals("30/20/30/10", timings(inside));
        assertTrue(inside.getExec().getCommand().get(2).endsWith("timeout=29)"), "python gives up before the kubelet does");
        assertNull(spec.probes.liveness.initialDelaySeconds, "the user's spec is not written");
    }
}
