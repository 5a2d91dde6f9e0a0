package org.openstack.glanceimport.packaging;

import java.io.FileInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.delivery.OperatorRequestsTest;
import org.openstack.glanceimport.delivery.ShippedRbac;
import org.openstack.glanceimport.runtime.LeaderElection;

/**
 * The production jar (prod profile: leader election, server-side apply) as two operator pods would run it, on fabric8's
 * mock API server (which answers the Lease access check with the chart's ClusterRoles, as a real one would with them
 * bound): SIGTERM to the leader ends it within 5 s and releases the Lease, the standby takes over at once, and the two
 * never write at the same time. The mock has no server-side apply, so their reconciles fail with 415; they still send
 * their writes, which is what is timed here.
 */
class OperatorShutdownIT {

    private static final String LEASE_NAMESPACE = "ops";
    private static final Duration SIGTERM_BUDGET = Duration.ofSeconds(5);

    /** One request as the server received it. */
    record Seen(long nanos, String userAgent, String method, String path, String contentType, String body) {
        boolean write() {
            return !method.equals("GET");
        }

        boolean leaderElection() {
            return path.contains("/leases") || path.contains("selfsubjectrulesreviews");
        }
    }

    private final List<Seen> seen = new ArrayList<>();
    private KubernetesMockServer server;
    private KubernetesClient client;
    private final List<OperatorProcess> processes = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        String review = Serialization.asJson(ShippedRbac.rulesReview());
        KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher(List.of());
        Dispatcher recording = new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                synchronized (seen) {
                    String body = request.getPath().startsWith("/apis/import.glance.openstack.org/") && request.getBody() != null
                            ? new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8) : null;
                    seen.add(new Seen(System.nanoTime(), request.getHeader("User-Agent"), request.getMethod(), request.getPath(),
                            request.getHeader("Content-Type"), body));
                }
                if (request.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
                    return new MockResponse().setResponseCode(201).setBody(review);
                }
                return crud.dispatch(request);
            }
        };
        server = OperatorProcess.apiServer(recording);
        client = server.createClient();
        OperatorProcess.installCrds(client);
        // something to reconcile, so that both operators have writes to send
        try (InputStream in = new FileInputStream("samples/minimal.yaml")) {
            for (HasMetadata item : client.load(in).items()) {
                client.resource(item).inNamespace("glance").create();
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (OperatorProcess p : processes) {
            p.close();
        }
        client.close();
        server.destroy();
    }

    private Lease lease() {
        return client.leases().inNamespace(LEASE_NAMESPACE).withName(LeaderElection.LEASE).get();
    }

    private String holder() {
        Lease lease = lease();
        return lease == null || lease.getSpec().getHolderIdentity() == null ? "" : lease.getSpec().getHolderIdentity();
    }

    private OperatorProcess start(String hostname) throws Exception {
        OperatorProcess p = OperatorProcess.start(client.getConfiguration().getMasterUrl(), LEASE_NAMESPACE, hostname,
                Boolean.getBoolean("it.verbose"));
        processes.add(p);
        return p;
    }

    private List<Seen> writesOf(String hostname) {
        synchronized (seen) {
            return seen.stream().filter(s -> s.userAgent() != null && s.userAgent().endsWith("(" + hostname + ")"))
                    .filter(Seen::write).filter(s -> !s.leaderElection()).toList();
        }
    }

    @Test
    void sigtermEndsTheLeaderReleasesTheLeaseAndTheStandbyTakesOverWithoutOverlap() throws Exception {
        OperatorProcess a = start("operator-a");
        await().atMost(Duration.ofSeconds(60)).until(() -> a.logged(l -> l.contains("Profile ") && l.contains(" activated")));
        assertTrue(a.logged(l -> l.contains("Profile prod activated")), "not the production build: run ./mvnw package first");
        await().atMost(Duration.ofSeconds(60)).until(() -> holder().startsWith("operator-a-"));
        OperatorProcess b = start("operator-b");
        await().atMost(Duration.ofSeconds(60)).until(() -> b.logged(l -> l.contains("Lease " + LeaderElection.LEASE + " held by operator-a-")));
        await().atMost(Duration.ofSeconds(30)).until(() -> !writesOf("operator-a").isEmpty());
        assertTrue(writesOf("operator-b").isEmpty(), "the standby writes nothing: " + writesOf("operator-b"));
        String leaderA = holder();
        productionWritesAreServerSideAppliesWithoutSpec("operator-a");
        noOpenShiftInformersElsewhere("operator-a");

        long exitMs = a.terminate(SIGTERM_BUDGET);
        long exitedAt = System.nanoTime();
        System.out.printf("leader: exit %s after %d ms of SIGTERM%n", exitMs < 0 ? "none" : a.process.exitValue(), exitMs);
        assertTrue(exitMs >= 0, "the leader did not exit within " + SIGTERM_BUDGET + " of SIGTERM:\n" + String.join("\n", a.log()));
        assertTrue(Set.of(0, 143).contains(a.process.exitValue()), "exit code " + a.process.exitValue());
        assertTrue(a.logged(l -> l.contains("Released the Lease")), String.join("\n", a.log()));
        System.out.printf("leader exited %d ms after SIGTERM%n", exitMs);

        // released, not left to expire (15 s): the standby's next retry (2 s, jittered) takes it
        await().atMost(Duration.ofSeconds(5)).until(() -> holder().startsWith("operator-b-"));
        long tookOverMs = (System.nanoTime() - exitedAt) / 1_000_000;
        System.out.printf("standby took the Lease %d ms after the leader exited (from %s)%n", tookOverMs, leaderA);
        await().atMost(Duration.ofSeconds(30)).until(() -> !writesOf("operator-b").isEmpty());

        long lastOfA = writesOf("operator-a").stream().mapToLong(Seen::nanos).max().orElseThrow();
        long firstOfB = writesOf("operator-b").stream().mapToLong(Seen::nanos).min().orElseThrow();
        assertTrue(lastOfA < firstOfB, "the new leader wrote before the old one's last write");

        long exitB = b.terminate(SIGTERM_BUDGET);
        assertTrue(exitB >= 0, "the second leader did not exit within " + SIGTERM_BUDGET + " of SIGTERM");
        assertEquals("", holder(), "released on exit");
    }

    /**
     * The requests the tests' profile does not send: dependents as server-side applies of the operator's field manager,
     * and JOSDK's finalizer on a GlanceImportStaging as a server-side apply of a constructed resource that must carry no
     * spec (it once force-applied Java defaults over the user's size, access mode and import methods).
     */
    private void productionWritesAreServerSideAppliesWithoutSpec(String hostname) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> writesOf(hostname).stream()
                .anyMatch(w -> w.path().contains("/glanceimportstagings/") && w.method().equals("PATCH")));
        List<Seen> writes = writesOf(hostname);
        Seen service = writes.stream().filter(w -> w.path().startsWith("/api/v1/namespaces/glance/services/glance?")).findFirst()
                .orElseThrow(() -> new AssertionError("no write of Service glance: " + writes));
        assertEquals("PATCH", service.method());
        assertTrue(service.path().contains("fieldManager=glanceapi") && service.path().contains("force=true"), service.path());
        assertTrue(service.contentType().startsWith("application/apply-patch+yaml"), service.contentType());
        Seen finalizer = writes.stream().filter(w -> w.path().contains("/glanceimportstagings/default?")).findFirst()
                .orElseThrow(() -> new AssertionError("no finalizer apply: " + writes));
        assertTrue(finalizer.contentType().startsWith("application/apply-patch+yaml"), finalizer.contentType());
        assertTrue(finalizer.body().contains("finalizer"), finalizer.body());
        for (Seen w : writes) {
            if (w.body() != null && !w.body().isEmpty()) {
                assertTrue(!OperatorRequestsTest.carriesSpec(Serialization.jsonMapper().readTree(w.body())),
                        "the prod build sent a spec: " + w.method() + " " + w.path() + " " + w.body());
            }
        }
    }

    /**
     * This API server is not OpenShift: the ServiceAccount, Role and RoleBinding dependents' activation condition never
     * holds, so their informers are never started (a request saved at every start, and three fewer caches).
     */
    private void noOpenShiftInformersElsewhere(String hostname) {
        List<String> paths;
        synchronized (seen) {
            paths = seen.stream().filter(s -> s.userAgent() != null && s.userAgent().endsWith("(" + hostname + ")")).map(Seen::path)
                    .toList();
        }
        assertTrue(paths.stream().anyMatch(p -> p.startsWith("/apis/apps/v1/statefulsets?") && p.contains("watch=true")),
                "the other informers run: " + paths);
        List<String> scc = paths.stream().filter(p -> p.matches("/api/v1/(namespaces/[^/]+/)?serviceaccounts.*")
                || p.matches("/apis/rbac.authorization.k8s.io/v1/(namespaces/[^/]+/)?(roles|rolebindings).*")).toList();
        assertEquals(List.of(), scc, "no ServiceAccount, Role or RoleBinding request off OpenShift");
    }

    /**
     * Two processes with one host name (two operators restarted together on one machine, or a container restarted in
     * its pod) once had one identity: the second took the first's Lease as its own and both reconciled.
     */
    @Test
    void twoProcessesWithOneHostNameNeverBothLead() throws Exception {
        OperatorProcess a = start("same-host");
        OperatorProcess b = start("same-host");
        await().atMost(Duration.ofSeconds(60)).until(() -> holder().startsWith("same-host-"));
        // several retry periods (2 s): a second leader would have renewed by now
        Thread.sleep(6000);
        long leaders = java.util.stream.Stream.of(a, b).filter(p -> p.logged(l -> l.contains("Leading as"))).count();
        assertEquals(1, leaders, "exactly one of two same-host processes leads");
    }

    @Test
    void aStandbyExitsAtOnceToo() throws Exception {
        start("operator-a");
        await().atMost(Duration.ofSeconds(60)).until(() -> holder().startsWith("operator-a-"));
        OperatorProcess b = start("operator-b");
        await().atMost(Duration.ofSeconds(60)).until(() -> b.logged(l -> l.contains("held by operator-a-")));
        long exitMs = b.terminate(SIGTERM_BUDGET);
        assertTrue(exitMs >= 0, "the standby did not exit within " + SIGTERM_BUDGET + " of SIGTERM");
        assertTrue(holder().startsWith("operator-a-"), "the leader keeps the Lease");
    }
}
