package org.openstack.glanceimport.monitoring;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.delivery.HelmRender;
import org.openstack.glanceimport.delivery.Manifests;
import org.openstack.glanceimport.tools.MonitoringManifests;

/** The monitoring objects of the chart and the bundle: as `make helm bundle` writes them, and as real helm renders them. */
class MonitoringManifestsTest {

    @Test
    void checkedInCopiesAreWhatTheSourcesGive() {
        MonitoringManifests.helmTemplates().forEach((file, text) -> assertEquals(text,
                Manifests.read(Manifests.CHART.resolve("templates").resolve(file)), file + ": run `make helm`"));
        assertTrue(Manifests.read(Manifests.CHART.resolve("values.yaml")).contains(MonitoringManifests.VALUES), "run `make helm`");
        MonitoringManifests.bundleManifests().forEach((file, text) -> assertEquals(text,
                Manifests.read(Manifests.BUNDLE_MANIFESTS.resolve(file)), file + ": run `make bundle`"));
    }

    @Test
    void offByDefault() {
        List<HasMetadata> objects = HelmRender.template("glance-import", Map.of());
        assertTrue(objects.stream().noneMatch(o -> o.getKind().equals("PrometheusRule") || o.getKind().equals("ServiceMonitor")
                || o.getMetadata().getName().endsWith("-dashboard")), "nothing of monitoring without the values");
    }

    @Test
    void theChartRendersTheRulesUnchangedWithTheirPrometheusTemplates() throws Exception {
        List<HasMetadata> objects = HelmRender.template("glance-import", Map.of("monitoring.prometheusRule.enabled", "true",
                "monitoring.prometheusRule.labels.release", "prometheus", "monitoring.serviceMonitor.enabled", "true",
                "monitoring.serviceMonitor.interval", "15s", "monitoring.dashboard.enabled", "true"));
        GenericKubernetesResource rule = (GenericKubernetesResource) objects.stream().filter(o -> o.getKind().equals("PrometheusRule"))
                .findFirst().orElseThrow();
        assertEquals("prometheus", rule.getMetadata().getLabels().get("release"));
        assertEquals(MonitoringManifests.ruleGroups(), rule.getAdditionalProperties().get("spec"),
                "the rules, with {{ $labels.namespace }} and {{ $value }} left for Prometheus");
        assertTrue(Manifests.SERIALIZATION.asYaml(rule).contains("{{ $labels.namespace }}"));

        GenericKubernetesResource monitor = (GenericKubernetesResource) objects.stream().filter(o -> o.getKind().equals("ServiceMonitor"))
                .findFirst().orElseThrow();
        Map<?, ?> endpoint = (Map<?, ?>) ((List<?>) ((Map<?, ?>) monitor.getAdditionalProperties().get("spec")).get("endpoints")).get(0);
        assertEquals("15s", endpoint.get("interval"));
        assertEquals("/q/metrics", endpoint.get("path"));
        HasMetadata service = objects.stream().filter(o -> o.getKind().equals("Service")).findFirst().orElseThrow();
        Map<?, ?> selector = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) monitor.getAdditionalProperties().get("spec")).get("selector")).get("matchLabels");
        assertTrue(service.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()), "selects the operator's Service");
        assertTrue(((io.fabric8.kubernetes.api.model.Service) service).getSpec().getPorts().stream().anyMatch(p -> "http".equals(p.getName())));

        ConfigMap dashboard = (ConfigMap) objects.stream().filter(o -> o.getMetadata().getName().endsWith("-dashboard")).findFirst()
                .orElseThrow();
        assertEquals("1", dashboard.getMetadata().getLabels().get("grafana_dashboard"), "what Grafana's sidecar selects by default");
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(Manifests.read(MonitoringManifests.DASHBOARD)),
                json.readTree(dashboard.getData().get(MonitoringManifests.DASHBOARD_FILE)));
    }
}
