package org.openstack.glanceimport.monitoring;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.support.GlanceApiObjects;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.glance.GlanceTables;
import org.openstack.glanceimport.support.kube.AsUser;
import org.openstack.glanceimport.support.kube.StatefulSetController;

/**
 * Every metric the shipped alerts, recording rules and dashboard name is one the operator exports, read from its own
 * /q/metrics after it has reconciled samples/minimal.yaml; every recording rule the dashboard uses is defined. make e2e
 * then shows a real Prometheus getting data for each panel from a running operator (E2eStrandedImages).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
class MonitoringMetricsTest {

    static final Path RULES = Path.of("src/main/monitoring/prometheus-rules.yaml");
    static final Path DASHBOARD = Path.of("src/main/monitoring/grafana-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\b((?:glance_import|operator_sdk)_[a-z0-9_]+)\\b");
    private static final Pattern RECORDED = Pattern.compile("\\b(glance_import:[a-z0-9_:]+)\\b");

    @Inject
    @AsUser
    KubernetesClient client;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    @Test
    void everyMetricOfTheRulesAndTheDashboardIsExported() throws Exception {
        String ns = "monitoring";
        GlanceTables.create("glance_" + ns);
        Samples.apply(client, ns, "minimal.yaml", item -> true, Samples.reachableDatabase(ns, "glance_" + ns));
        Set<String> marked = new java.util.HashSet<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            StatefulSetController.markNewReady(client, ns, marked);
            return GlanceApiObjects.readyCount(client, ns) == 1;
        });
        String exposition = await().atMost(Duration.ofSeconds(30)).until(this::scrape, 
                // per-pod rows appear with the first scan of Glance's database
                text -> text.contains("glance_import_glanceapi_ready{") && text.contains("glance_import_pod_staged_bytes{"));
        Files.writeString(Path.of("target", "operator-metrics.txt"), exposition);
        Set<String> exported = exposition.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));

        String rules = Files.readString(RULES);
        String dashboard = Files.readString(DASHBOARD);
        Set<String> named = new TreeSet<>();
        for (String text : new String[] { rules, dashboard }) {
            Matcher m = METRIC.matcher(text.replaceAll("(?m)^\\s*#.*$", ""));
            while (m.find()) {
                named.add(m.group(1));
            }
        }
        assertTrue(named.size() >= 10, "the rules and the dashboard name " + named);
        Set<String> missing = new TreeSet<>(named);
        missing.removeAll(exported);
        assertEquals(Set.of(), missing, "named in the rules or the dashboard but not exported; in the registry: "
                + missing.stream().map(n -> n + "=" + registry.find(n).meters().stream().map(m -> m.getId() + ":"
                        + m.measure().iterator().next().getValue()).toList()).toList() + "; exported: " + exported);

        Set<String> recorded = new TreeSet<>();
        Matcher r = Pattern.compile("(?m)^\\s*- record: (\\S+)").matcher(rules);
        while (r.find()) {
            recorded.add(r.group(1));
        }
        Set<String> used = new TreeSet<>();
        Matcher d = RECORDED.matcher(dashboard + rules.replaceAll("(?m)^\\s*- record: .*$", ""));
        while (d.find()) {
            used.add(d.group(1));
        }
        assertTrue(recorded.containsAll(used), "used but not recorded: " + used + " vs " + recorded);
    }

    private String scrape() throws java.io.IOException {
        try (var in = metrics.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
