package org.openstack.glanceimport.realapi;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;

import org.openstack.glanceimport.monitoring.OperatorMetrics;
import org.openstack.glanceimport.support.BenchJson;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.glance.GlanceTables;
import org.openstack.glanceimport.support.kube.AuditLog;
import org.openstack.glanceimport.support.kube.AuditedRollout;
import org.openstack.glanceimport.support.kube.RealApiServer;
import org.openstack.glanceimport.support.kube.RealApiServerProfile;

/**
 * `make bench` on a real kube-apiserver 1.26 with the StatefulSet, Job and garbage-collector controllers (RealApiServer):
 * the reconcilers as production runs them (server-side apply, the operator's ServiceAccount under the chart's RBAC),
 * a kubelet and a volume binder played by NodeStandIn, Glance's database reachable (H2 holding its tables). Writes are
 * counted exactly, from the API server's audit log of the operator's ServiceAccount (Leases and Events apart), with
 * the same definitions as the mock's OperatorBench:
 * <ul>
 * <li>{@code real_api_write_requests_per_glanceapi}: 100 one-replica GlanceAPIs created at once, each with its own
 * policy that exists already (Secrets and policies settled), from create until all are Ready and the operator is quiet;</li>
 * <li>{@code real_api_write_requests_per_glanceapi_with_policy}: the same with each policy created together with its
 * GlanceAPI (how the issue that asked for these figures counted);</li>
 * <li>{@code real_api_resync_write_requests}: a change to the shared database Secret reconciles all 100 at steady state;</li>
 * <li>{@code real_api_idle_write_requests}: 30 s of steady state, the real controllers still writing their statuses.</li>
 * </ul>
 * RSS on the real server is make measure's (RealApiMeasureRun): it needs the packaged jar.
 */
@QuarkusTest
@TestProfile(RealApiServerProfile.class)
@Tag("bench")
class RealApiBench {

    static final int COUNT = Integer.getInteger("bench.hundred", 100);
    private final RealApiServer k8s = RealApiServer.shared();
    private final KubernetesClient admin = k8s.admin();

    @Inject
    MeterRegistry registry;

    @Test
    void bench() throws Exception {
        Map<String, Object> results = new LinkedHashMap<>();

        Map<String, Long> settled = writesToReady("real-bench", true);
        results.put("real_api_write_requests_per_glanceapi", perGlanceApi(settled));
        results.put("real_api_write_requests_by_resource", settled);
        Map<String, Long> together = writesToReady("real-bench-policies", false);
        results.put("real_api_write_requests_per_glanceapi_with_policy", perGlanceApi(together));
        results.put("real_api_write_requests_by_resource_with_policy", together);

        double before = reconciliations();
        long mark = k8s.audit().mark();
        admin.secrets().inNamespace("real-bench").withName("glance-db").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"resync\":\"1\"}}}");
        await().atMost(Duration.ofMinutes(5)).until(() -> reconciliations() >= before + COUNT);
        awaitQuiet();
        List<AuditLog.Request> resync = k8s.audit().since(mark, r -> RealApiServer.OPERATOR_USER.equals(r.user()) && !r.bookkeeping()
                && !"watch".equals(r.verb()));
        results.put("real_api_resync_reconciliations", (long) (reconciliations() - before));
        results.put("real_api_resync_write_requests", resync.stream().filter(AuditLog.Request::write).count());
        results.put("real_api_resync_read_requests", resync.stream().filter(r -> !r.write()).count());

        mark = k8s.audit().mark();
        Thread.sleep(30_000);
        results.put("real_api_idle_write_requests", k8s.audit().operatorWrites(mark).size());

        System.out.println("\n== make bench: the reconcilers on a real kube-apiserver " + RealApiServer.VERSION + " + kube-controller-manager");
        results.forEach((k, v) -> System.out.printf("  %-52s %s%n", k, v));
        BenchJson.merge(results);
    }

    /** The operator's writes for COUNT GlanceAPIs from create to Ready, with a database it reaches. */
    private Map<String, Long> writesToReady(String ns, boolean policiesFirst) throws Exception {
        String database = ns.replace('-', '_');
        GlanceTables.create(database);
        return AuditedRollout.writesToReady(k8s, ns, COUNT, Samples.reachableDatabase(ns, database), policiesFirst);
    }

    private static String perGlanceApi(Map<String, Long> byKind) {
        return AuditedRollout.perGlanceApi(byKind, COUNT);
    }

    private void awaitQuiet() {
        k8s.audit().awaitOperatorQuiet(Duration.ofSeconds(5));
    }

    private double reconciliations() {
        return registry.find(OperatorMetrics.RECONCILIATIONS).tag("controller", "glanceapi").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }
}
