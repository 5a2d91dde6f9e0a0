package org.openstack.glanceimport.packaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceImportStaging;
import org.openstack.glanceimport.runtime.LeaderElection;
import org.openstack.glanceimport.support.FieldOwners;
import org.openstack.glanceimport.support.GlanceApiObjects;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.kube.AuditLog;
import org.openstack.glanceimport.support.kube.NodeStandIn;
import org.openstack.glanceimport.support.kube.RealApiServer;

/**
 * The packaged operator as the chart installs it, on a real kube-apiserver 1.26 with the StatefulSet, Job and
 * garbage-collector controllers: two pods' worth of the prod jar (server-side apply, leader election) authenticated as
 * the chart's ServiceAccount, so that the server enforces the shipped RBAC on every request, the Lease's included. The
 * minimal sample reaches Ready; then the user's policy spec is still the user's (JOSDK's finalizer apply once
 * force-applied Java defaults over it), the leader writes nothing more at steady state, SIGTERM ends it within 5 s with
 * the Lease released to the standby, and the audit log holds no request of the operator's that the server refused.
 */
class RealApiOperatorIT {

    private static final Duration SIGTERM_BUDGET = Duration.ofSeconds(5);
    private static final String NS = "shipped";
    private final RealApiServer k8s = RealApiServer.shared();
    private final KubernetesClient admin = k8s.admin();
    private final List<OperatorProcess> processes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (OperatorProcess p : processes) {
            p.close();
        }
    }

    private OperatorProcess start(String hostname) throws Exception {
        OperatorProcess p = OperatorProcess.start(OperatorJvm.resolve(), OperatorProcess.JAR,
                Map.of("QUARKUS_KUBERNETES_CLIENT_TOKEN", k8s.operatorConfig().getOauthToken()), k8s.url(),
                RealApiServer.OPERATOR_NAMESPACE, hostname, Boolean.getBoolean("it.verbose"));
        processes.add(p);
        return p;
    }

    private String holder() {
        Lease lease = admin.leases().inNamespace(RealApiServer.OPERATOR_NAMESPACE).withName(LeaderElection.LEASE).get();
        return lease == null || lease.getSpec().getHolderIdentity() == null ? "" : lease.getSpec().getHolderIdentity();
    }

    @Test
    void theShippedOperatorUnderTheChartsRbac() throws Exception {
        long start = k8s.audit().mark();
        k8s.createNamespace(NS);
        try (NodeStandIn node = new NodeStandIn(admin, NS)) {
            OperatorProcess a = start("operator-a");
            await().atMost(Duration.ofSeconds(60)).until(() -> a.logged(l -> l.contains("Profile ") && l.contains(" activated")));
            assertTrue(a.logged(l -> l.contains("Profile prod activated")), "not the production build: run ./mvnw package first");
            await().atMost(Duration.ofSeconds(60)).until(() -> holder().startsWith("operator-a-"));
            OperatorProcess b = start("operator-b");
            await().atMost(Duration.ofSeconds(60)).until(() -> b.logged(l -> l.contains("held by operator-a-")));

            Samples.apply(admin, NS, "minimal.yaml");
            await().atMost(Duration.ofSeconds(90)).until(() -> GlanceApiObjects.readyCount(admin, NS) == 1);
            GlanceImportStaging policy = admin.resources(GlanceImportStaging.class).inNamespace(NS).withName("default").get();
            assertEquals(Samples.staging(admin, "minimal.yaml").getSpec().storage.size, policy.getSpec().storage.size);
            assertFalse(policy.getMetadata().getFinalizers().isEmpty(), "the finalizer was added");
            for (var owned : List.of(policy, admin.resources(GlanceAPI.class).inNamespace(NS).withName("glance").get())) {
                assertEquals(List.of(), FieldOwners.specOwnersOtherThanTheUser(owned), "managers other than the user's own spec fields");
            }

            k8s.audit().awaitOperatorQuiet(Duration.ofSeconds(3));
            long steady = k8s.audit().mark();
            Thread.sleep(8000);
            assertEquals(Map.of(), AuditLog.byKind(k8s.audit().operatorWrites(steady)), "writes at steady state");

            long exitMs = a.terminate(SIGTERM_BUDGET);
            assertTrue(exitMs >= 0, "the leader did not exit within " + SIGTERM_BUDGET + " of SIGTERM:\n" + String.join("\n", a.log()));
            await().atMost(Duration.ofSeconds(10)).until(() -> holder().startsWith("operator-b-"));
            System.out.printf("leader exited %d ms after SIGTERM; the standby leads%n", exitMs);
            assertTrue(b.terminate(SIGTERM_BUDGET) >= 0, "the second leader did not exit within " + SIGTERM_BUDGET);
            assertEquals("", holder(), "released on exit");
        }
        List<AuditLog.Request> mine = k8s.audit().since(start, r -> RealApiServer.OPERATOR_USER.equals(r.user()));
        assertEquals(List.of(), mine.stream().filter(r -> r.code() == 403).map(r -> r.verb() + " " + r.uri()).distinct().toList(),
                "requests the shipped RBAC refused");
        assertTrue(mine.stream().anyMatch(r -> "leases".equals(r.resource()) && "patch".equals(r.verb()) && r.code() == 200),
                "the Lease is renewed by PATCH, which the chart grants");
        assertEquals(List.of(), mine.stream().filter(r -> r.write() && GlanceAPI.GROUP.equals(r.apiGroup()) && r.body() != null
                && r.body().has("spec")).map(r -> r.kind() + " " + r.body()).toList(), "writes that carry a spec");
    }
}
