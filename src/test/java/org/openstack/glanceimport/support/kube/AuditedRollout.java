package org.openstack.glanceimport.support.kube;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import static org.awaitility.Awaitility.await;

import org.openstack.glanceimport.support.GlanceApiObjects;
import org.openstack.glanceimport.support.Samples;

/**
 * What `make bench` and `make measure` count on the real API server: {@code count} one-replica GlanceAPIs of the
 * minimal sample, each with its own policy, created at once in a new namespace, NodeStandIn playing the kubelet. The
 * operator's writes in that namespace, from the audit log, from create until all are Ready and it has been quiet 5 s.
 */
public final class AuditedRollout {

    private static final Duration QUIET = Duration.ofSeconds(5);

    private AuditedRollout() {
    }

    /**
     * @param secrets an edit of the sample's Secrets (e.g. a database the operator reaches)
     * @param policiesFirst the policies are created and settled before the count starts (as the mock bench counts);
     *        otherwise each is created with its GlanceAPI and its writes count too
     */
    public static Map<String, Long> writesToReady(RealApiServer k8s, String ns, int count, UnaryOperator<HasMetadata> secrets,
            boolean policiesFirst) throws Exception {
        var admin = k8s.admin();
        k8s.createNamespace(ns);
        try (NodeStandIn node = new NodeStandIn(admin, ns)) {
            Samples.apply(admin, ns, "minimal.yaml", item -> "Secret".equals(item.getKind()), secrets);
            long mark = k8s.audit().mark();
            Samples.policies(admin, ns, "minimal.yaml", count);
            if (policiesFirst) {
                await().atMost(Duration.ofMinutes(5)).until(() -> admin.configMaps().inNamespace(ns).list().getItems().size() >= count);
                k8s.audit().awaitOperatorQuiet(QUIET);
                mark = k8s.audit().mark();
            }
            Samples.glanceApis(admin, ns, count, 1);
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> GlanceApiObjects.readyCount(admin, ns) == count);
            k8s.audit().awaitOperatorQuiet(QUIET);
            return AuditLog.byKind(k8s.audit().operatorWrites(mark).stream().filter(r -> ns.equals(r.namespace())).toList());
        }
    }

    /** The writes per GlanceAPI, as bench.json reports them. */
    public static String perGlanceApi(Map<String, Long> byKind, int count) {
        return String.format(Locale.ROOT, "%.2f", byKind.values().stream().mapToLong(Long::longValue).sum() / (double) count);
    }
}
