package org.openstack.glanceimport.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.monitoring.OperatorMetrics;
import org.openstack.glanceimport.runtime.OperatorUserAgent;
import org.openstack.glanceimport.support.ApiRequests;
import org.openstack.glanceimport.support.BenchJson;
import org.openstack.glanceimport.support.GlanceApiObjects;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.StatusConditions;
import org.openstack.glanceimport.support.glance.GlanceTables;
import org.openstack.glanceimport.support.kube.StatefulSetController;

/**
 * `make bench`: the real operator against the in-process mock API server (RealApiBench: the same on a real one). Counts come from the mock server's request log,
 * of the requests with the operator's user agent. Not part of `make test`.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
@Tag("bench")
class OperatorBench {

    static final int MANY = Integer.getInteger("bench.glanceapis", 500);
    static final String AGENT = "glance-import-bench";

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    KubernetesClient operatorClient;

    @Inject
    MeterRegistry registry;

    @Test
    void bench() throws Exception {
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(operatorClient.getConfiguration()).withUserAgent(AGENT).build())
                .build();
        Map<String, Object> results = new LinkedHashMap<>();

        // 1. one 3-replica GlanceAPI: creation to all objects present
        String ns = "one";
        Samples.apply(client, ns, "minimal.yaml");
        Samples.apply(client, ns, "ceph.yaml");
        long t0 = System.nanoTime();
        Samples.apply(client, ns, "scaled.yaml");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> allObjects(client, ns, "glance-ceph", 3));
        results.put("one_glanceapi_3_replicas_all_objects_ms", (System.nanoTime() - t0) / 1_000_000);

        // 1b. the writes one 1-replica GlanceAPI costs, from create to all objects present and the pods ready (Events left
        // out): with the samples' Secrets as shipped (labelled), and as a user's unlabelled Secrets, which the operator
        // labels once each; then with 100 GlanceAPIs, each with its own policy, sharing the Secrets
        // out). The database is one the operator can reach (H2 holding Glance's tables), as in production: the samples'
        // own database host does not resolve here, and saying so costs a status write of its own (measured separately)
        awaitQuiet();
        Map<String, Long> one = writesToReady(client, "writes", 1, reachableDatabase("writes"));
        results.put("create_write_requests_per_glanceapi", total(one));
        results.put("create_write_requests_by_resource", one);
        Map<String, Long> unreachable = writesToReady(client, "writes-unreachable-db", 1, item -> item);
        results.put("create_write_requests_per_glanceapi_database_unreachable", total(unreachable));
        var reachable = reachableDatabase("writes-unlabelled");
        Map<String, Long> unlabelled = writesToReady(client, "writes-unlabelled", 1, item -> Samples.unlabelled(reachable.apply(item)));
        results.put("create_write_requests_per_glanceapi_unlabelled_secrets", total(unlabelled));
        results.put("create_write_requests_by_resource_unlabelled_secrets", unlabelled);
        int hundred = Integer.getInteger("bench.hundred", 100);
        Map<String, Long> many100 = writesToReady(client, "writes-100", hundred, reachableDatabase("writes-100"));
        results.put("create_write_requests_per_glanceapi_at_100", String.format(java.util.Locale.ROOT, "%.2f",
                total(many100) / (double) hundred));
        results.put("create_write_requests_by_resource_at_100", many100);

        // 2. MANY GlanceAPIs, each with its own staging policy, to the point where everything is rendered
        String many = "many";
        Samples.apply(client, many, "minimal.yaml");
        t0 = System.nanoTime();
        Samples.policies(client, many, "ceph.yaml", MANY);
        Samples.glanceApis(client, many, MANY, 3);
        long created = System.nanoTime();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500)).until(() -> rendered(client, many) == MANY);
        long done = System.nanoTime();
        results.put("glanceapis", MANY);
        results.put("create_requests_ms", (created - t0) / 1_000_000);
        results.put("all_rendered_ms", (done - t0) / 1_000_000);
        results.put("per_glanceapi_ms", String.format("%.1f", (done - t0) / 1e6 / MANY));

        System.gc();
        Thread.sleep(500);
        System.gc();
        Runtime rt = Runtime.getRuntime();
        results.put("heap_used_after_mb", (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024));

        // 3. a full resync at steady state: touching the shared Secrets reconciles every GlanceAPI
        awaitQuiet();
        double before = reconciliations();
        long untouched = drainOperatorRequests().size();
        client.secrets().inNamespace(many).withName("glance-db").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"resync\":\"1\"}}}");
        await().atMost(Duration.ofMinutes(5)).until(() -> reconciliations() >= before + MANY);
        awaitQuiet();
        List<RecordedRequest> resync = drainOperatorRequests();
        long writes = resync.stream().filter(r -> !r.getMethod().equals("GET")).count();
        long reads = resync.stream().filter(r -> r.getMethod().equals("GET") && !r.getPath().contains("watch=true")).count();
        results.put("resync_reconciliations", (long) (reconciliations() - before));
        results.put("resync_write_requests", writes);
        results.put("resync_read_requests", reads);
        results.put("requests_before_resync_drained", untouched);
        resync.stream().limit(10).forEach(r -> System.out.println("  resync request: " + r.getMethod() + " " + r.getPath()));

        System.out.println("\n== make bench: operator against the in-process API server");
        results.forEach((k, v) -> System.out.printf("  %-42s %s%n", k, v));
        // beside the real API server's figures (RealApiBench) and make measure's; the keys here are the mock's
        org.openstack.glanceimport.support.BenchJson.merge(results);
    }

    /** An edit of the samples pointing glance-db at a database of Glance's tables that the operator can reach. */
    private static java.util.function.UnaryOperator<io.fabric8.kubernetes.api.model.HasMetadata> reachableDatabase(String ns) {
        String name = "bench_" + ns.replace('-', '_');
        try {
            org.openstack.glanceimport.support.glance.GlanceTables.create(name);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return Samples.reachableDatabase(ns, name);
    }

    /**
     * The operator's writes (Events left out), by verb and resource, for {@code count} 1-replica GlanceAPIs from create
     * until every one is Ready: the Secrets and a policy per GlanceAPI exist and have settled before.
     */
    private Map<String, Long> writesToReady(KubernetesClient client, String ns, int count,
            java.util.function.UnaryOperator<io.fabric8.kubernetes.api.model.HasMetadata> edit) throws InterruptedException {
        Samples.apply(client, ns, "minimal.yaml", item -> "Secret".equals(item.getKind()), edit);
        Samples.policies(client, ns, "minimal.yaml", count);
        await().atMost(Duration.ofMinutes(5)).until(() -> client.configMaps().inNamespace(ns).list().getItems().size() >= count);
        awaitQuiet();
        Samples.glanceApis(client, ns, count, 1);
        java.util.Set<String> marked = new java.util.HashSet<>();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            StatefulSetController.markNewReady(client, ns, marked);
            return GlanceApiObjects.readyCount(client, ns) == count;
        });
        Map<String, Long> byResource = new java.util.TreeMap<>();
        String in = "/namespaces/" + ns + "/";
        for (RecordedRequest r : drainUntilQuiet()) {
            String path = r.getPath().split("\\?")[0];
            if (r.getMethod().equals("GET") || !path.contains(in) || path.contains("/events")) {
                continue;
            }
            String[] rest = path.substring(path.indexOf(in) + in.length()).split("/");
            byResource.merge(r.getMethod() + " " + rest[0] + (rest.length > 2 ? "/" + rest[2] : ""), 1L, Long::sum);
        }
        return byResource;
    }

    private static long total(Map<String, Long> byResource) {
        return byResource.values().stream().mapToLong(Long::longValue).sum();
    }

    private boolean allObjects(KubernetesClient c, String ns, String name, int replicas) {
        var sts = c.apps().statefulSets().inNamespace(ns).withName(name).get();
        return sts != null && sts.getSpec().getReplicas() == replicas
                && c.persistentVolumeClaims().inNamespace(ns).withLabel("import.glance.openstack.org/glanceapi", name).list().getItems().size() == replicas
                && c.services().inNamespace(ns).withName(name).get() != null
                && c.services().inNamespace(ns).withName(name + "-headless").get() != null
                && c.configMaps().inNamespace(ns).withName(name + "-config").get() != null
                && c.secrets().inNamespace(ns).withName(name + "-secrets").get() != null
                && c.policy().v1().podDisruptionBudget().inNamespace(ns).withName(name).get() != null;
    }

    private long rendered(KubernetesClient c, String ns) {
        return c.resources(GlanceAPI.class).inNamespace(ns).list().getItems().stream()
                .filter(a -> a.getStatus() != null && a.getStatus().stagingClaims.size() == 3 && StatusConditions.isTrue(a, "ConfigReady"))
                .count();
    }

    private double reconciliations() {
        return registry.find(OperatorMetrics.RECONCILIATIONS).tag("controller", "glanceapi").counters().stream()
                .mapToDouble(x -> x.count()).sum();
    }

    private void awaitQuiet() {
        await().atMost(Duration.ofMinutes(5)).pollDelay(Duration.ofSeconds(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> drainOperatorRequests().stream().noneMatch(r -> !r.getMethod().equals("GET")));
    }

    /** The operator's requests until it has sent no write for a while (what awaitQuiet drains, kept). */
    private List<RecordedRequest> drainUntilQuiet() throws InterruptedException {
        List<RecordedRequest> all = new java.util.ArrayList<>();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < Duration.ofSeconds(3).toNanos()) {
            List<RecordedRequest> batch = drainOperatorRequests();
            all.addAll(batch);
            if (batch.stream().anyMatch(r -> !r.getMethod().equals("GET"))) {
                quietSince = System.nanoTime();
            }
            Thread.sleep(200);
        }
        return all;
    }

    private List<RecordedRequest> drainOperatorRequests() {
        // the operator's own user agent: neither the bench's requests nor the stand-in Job controller's
        return new ApiRequests(server.getKubernetesMockServer()).drain().stream().filter(r -> {
            String agent = r.getHeader("User-Agent");
            return agent != null && agent.startsWith(org.openstack.glanceimport.runtime.OperatorUserAgent.PRODUCT + "/");
        }).toList();
    }

}
