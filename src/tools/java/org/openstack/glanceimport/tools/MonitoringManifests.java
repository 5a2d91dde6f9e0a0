package org.openstack.glanceimport.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/**
 * The monitoring objects the chart and the OLM bundle ship, built from the one source of each
 * (src/main/monitoring/prometheus-rules.yaml, grafana-dashboard.json): a PrometheusRule, a ServiceMonitor of the
 * operator's metrics, and the dashboard as a ConfigMap for Grafana's sidecar. `make helm bundle` writes them
 * ({@link #main}); MonitoringManifestsTest fails when the checked-in copies drift, and renders the chart with real helm
 * to show the rules come out of the template unchanged.
 * <p>
 * Usage: {@code MonitoringManifests [--chart <chart-dir>] [--bundle <manifests-dir>]}, from the project directory.
 */
public final class MonitoringManifests {

    static final Path ROOT = Path.of("").toAbsolutePath();
    public static final Path RULES = ROOT.resolve("src/main/monitoring/prometheus-rules.yaml");
    public static final Path DASHBOARD = ROOT.resolve("src/main/monitoring/grafana-dashboard.json");
    static final String NAME = "glance-import-operator";
    public static final String DASHBOARD_FILE = "glance-import-operator.json";
    /** Chart templates and bundle manifests written here; nothing else in those directories has these names. */
    static final Map<String, String> HELM_FILES = Map.of("prometheusRule", "monitoring-prometheusrule.yaml", "serviceMonitor",
            "monitoring-servicemonitor.yaml", "dashboard", "monitoring-dashboard.yaml");
    static final List<String> BUNDLE_FILES = List.of(NAME + "-metrics_v1_service.yaml", NAME + "_monitoring.coreos.com_v1_prometheusrule.yaml",
            NAME + "_monitoring.coreos.com_v1_servicemonitor.yaml");
    public static final String VALUES = """

            # Monitoring objects, all off by default: a PrometheusRule with the operator's alerts and recording rules, a
            # ServiceMonitor of its /q/metrics (both need the Prometheus Operator's CRDs, or OpenShift monitoring), and its
            # Grafana dashboard as a ConfigMap that Grafana's dashboard sidecar picks up by label. labels: extra labels
            # your Prometheus or Grafana selects by (e.g. release: prometheus). See docs/observability.md.
            monitoring:
              prometheusRule:
                enabled: false
                labels: {}
              serviceMonitor:
                enabled: false
                interval: 30s
                labels: {}
              dashboard:
                enabled: false
                labels:
                  grafana_dashboard: "1"
            """;

    private MonitoringManifests() {
    }

    public static void main(String[] args) throws IOException {
        Path chart = null;
        Path bundle = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--chart") && i + 1 < args.length) {
                chart = Path.of(args[++i]);
            } else if (args[i].equals("--bundle") && i + 1 < args.length) {
                bundle = Path.of(args[++i]);
            } else {
                chart = bundle = null;
                break;
            }
        }
        if (chart == null && bundle == null) {
            throw new IllegalArgumentException("usage: MonitoringManifests [--chart <chart-dir>] [--bundle <manifests-dir>]");
        }
        write(chart, bundle);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, Object> ruleGroups() {
        return BundleFinisher.SERIALIZATION.unmarshal(read(RULES), Map.class);
    }

    static GenericKubernetesResource prometheusRule() {
        return new GenericKubernetesResourceBuilder().withApiVersion("monitoring.coreos.com/v1").withKind("PrometheusRule")
                .withNewMetadata().withName(NAME).addToLabels(labels()).endMetadata()
                .withAdditionalProperties(Map.of("spec", ruleGroups())).build();
    }

    static GenericKubernetesResource serviceMonitor(String interval) {
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("port", "http");
        endpoint.put("path", "/q/metrics");
        endpoint.put("interval", interval);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("selector", Map.of("matchLabels", labels()));
        // job label = the Service's name, as GlanceImportOperatorMetricsAbsent expects
        spec.put("jobLabel", "app.kubernetes.io/name");
        spec.put("endpoints", List.of(endpoint));
        return new GenericKubernetesResourceBuilder().withApiVersion("monitoring.coreos.com/v1").withKind("ServiceMonitor")
                .withNewMetadata().withName(NAME).addToLabels(labels()).endMetadata()
                .withAdditionalProperties(Map.of("spec", spec)).build();
    }

    static HasMetadata dashboard() {
        return new ConfigMapBuilder().withNewMetadata().withName(NAME + "-dashboard").addToLabels(labels()).endMetadata()
                .addToData(DASHBOARD_FILE, read(DASHBOARD)).build();
    }

    /** OLM installs no Service for the operator's pods: the bundle brings one for the ServiceMonitor to select. */
    static HasMetadata metricsService() {
        return new ServiceBuilder().withNewMetadata().withName(NAME + "-metrics").addToLabels(labels()).endMetadata()
                .withNewSpec().addToSelector("app.kubernetes.io/name", NAME).addNewPort().withName("http").withPort(8080)
                .withNewTargetPort(8080).withProtocol("TCP").endPort().endSpec().build();
    }

    private static Map<String, String> labels() {
        return Map.of("app.kubernetes.io/name", NAME);
    }

    /** A chart template: the object behind monitoring.{@code key}.enabled, with the value's extra labels. */
    static String helmTemplate(String key, HasMetadata object) {
        String yaml = escapeForHelm(BundleFinisher.SERIALIZATION.asYaml(object).replaceFirst("^---\n", ""));
        String labels = "  labels:\n";
        int at = yaml.indexOf(labels);
        String withValues = yaml.substring(0, at + labels.length()) + "    {{- with .Values.monitoring." + key + ".labels }}\n"
                + "    {{- toYaml . | nindent 4 }}\n    {{- end }}\n" + yaml.substring(at + labels.length());
        if ("serviceMonitor".equals(key)) {
            withValues = withValues.replace("interval: \"30s\"", "interval: {{ .Values.monitoring.serviceMonitor.interval | quote }}");
        }
        return "{{- if .Values.monitoring." + key + ".enabled }}\n" + withValues + "{{- end }}\n";
    }

    /** Prometheus' own templates ({{ $labels.x }}) must reach the PrometheusRule as text, not be run by helm. */
    static String escapeForHelm(String yaml) {
        return yaml.replace("{{", "\u0000L").replace("}}", "\u0000R").replace("\u0000L", "{{ \"{{\" }}").replace("\u0000R", "{{ \"}}\" }}");
    }

    public static Map<String, String> helmTemplates() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(HELM_FILES.get("prometheusRule"), helmTemplate("prometheusRule", prometheusRule()));
        out.put(HELM_FILES.get("serviceMonitor"), helmTemplate("serviceMonitor", serviceMonitor("30s")));
        out.put(HELM_FILES.get("dashboard"), helmTemplate("dashboard", dashboard()));
        return out;
    }

    public static Map<String, String> bundleManifests() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(BUNDLE_FILES.get(0), BundleFinisher.SERIALIZATION.asYaml(metricsService()));
        out.put(BUNDLE_FILES.get(1), BundleFinisher.SERIALIZATION.asYaml(prometheusRule()));
        out.put(BUNDLE_FILES.get(2), BundleFinisher.SERIALIZATION.asYaml(serviceMonitor("30s")));
        return out;
    }

    /** values.yaml as generated, with the monitoring values once. */
    static String values(String generated) {
        return generated.contains("\nmonitoring:\n") ? generated : generated.stripTrailing() + "\n" + VALUES;
    }

    public static void write(Path chart, Path bundleManifests) throws IOException {
        if (chart != null) {
            for (var e : helmTemplates().entrySet()) {
                Files.writeString(chart.resolve("templates").resolve(e.getKey()), e.getValue());
            }
            Path values = chart.resolve("values.yaml");
            Files.writeString(values, values(Files.readString(values)));
        }
        if (bundleManifests != null) {
            for (var e : bundleManifests().entrySet()) {
                Files.writeString(bundleManifests.resolve(e.getKey()), e.getValue());
            }
        }
    }
}
