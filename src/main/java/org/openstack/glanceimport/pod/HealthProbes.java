package org.openstack.glanceimport.pod;

import java.util.function.Function;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;

import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.probes.ProbeTimings;
import org.openstack.glanceimport.api.probes.Probes;
import org.openstack.glanceimport.config.GlancePaths;

/**
 * The probes of the containers that serve the API, all asking Glance's /healthcheck: the defaults, with spec.probes'
 * timings laid over them.
 */
public final class HealthProbes {

    static final ProbeTimings STARTUP = new ProbeTimings(null, 5, 5, 60);
    static final ProbeTimings READINESS = new ProbeTimings(null, 10, 5, 3);
    static final ProbeTimings LIVENESS = new ProbeTimings(null, 20, 5, 3);
    /** glance-api behind the TLS proxy has no startup probe of its own: its liveness waits for it instead. */
    static final ProbeTimings LIVENESS_BEHIND_PROXY = new ProbeTimings(30, 20, 5, 3);

    private HealthProbes() {
    }

    /** Startup, readiness and liveness probes on the named port over HTTP or HTTPS. */
    public static ContainerBuilder serving(ContainerBuilder container, GlanceAPISpec spec, String port, String scheme) {
        Function<ProbeTimings, Probe> httpGet = timings -> timed(new ProbeBuilder().withNewHttpGet()
                .withPath(GlancePaths.HEALTHCHECK_PATH).withPort(new IntOrString(port)).withScheme(scheme).endHttpGet(), timings);
        return container.withStartupProbe(httpGet.apply(overlay(STARTUP, given(spec).startup)))
                .withReadinessProbe(httpGet.apply(overlay(READINESS, given(spec).readiness)))
                .withLivenessProbe(httpGet.apply(overlay(LIVENESS, given(spec).liveness)));
    }

    /** glance-api listens on the pod's loopback, out of the kubelet's reach: its liveness is checked from inside. */
    public static Probe livenessFromInside(GlanceAPISpec spec, int port) {
        ProbeTimings timings = overlay(LIVENESS_BEHIND_PROXY, given(spec).liveness);
        // python gives up first, so a slow answer fails the probe with its own message rather than the kubelet's kill
        int clientTimeout = Math.max(1, timings.timeoutSeconds - 1);
        return timed(new ProbeBuilder().withNewExec().withCommand("python3", "-c", "import urllib.request; urllib.request.urlopen("
                + "'http://localhost:" + port + GlancePaths.HEALTHCHECK_PATH + "', timeout=" + clientTimeout + ")").endExec(), timings);
    }

    private static Probes given(GlanceAPISpec spec) {
        return spec.probes != null ? spec.probes : new Probes();
    }

    static ProbeTimings overlay(ProbeTimings defaults, ProbeTimings given) {
        if (given == null) {
            return defaults;
        }
        return new ProbeTimings(given.initialDelaySeconds != null ? given.initialDelaySeconds : defaults.initialDelaySeconds,
                given.periodSeconds != null ? given.periodSeconds : defaults.periodSeconds,
                given.timeoutSeconds != null ? given.timeoutSeconds : defaults.timeoutSeconds,
                given.failureThreshold != null ? given.failureThreshold : defaults.failureThreshold);
    }

    private static Probe timed(ProbeBuilder probe, ProbeTimings timings) {
        return probe.withInitialDelaySeconds(timings.initialDelaySeconds)
                .withPeriodSeconds(timings.periodSeconds)
                .withTimeoutSeconds(timings.timeoutSeconds)
                .withFailureThreshold(timings.failureThreshold)
                .build();
    }
}
