package org.openstack.glanceimport.monitoring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPIStatus;
import org.openstack.glanceimport.api.StagingClaimStatus;
import org.openstack.glanceimport.api.stranded.StrandedImage;
import org.openstack.glanceimport.autoscaling.ImportLoad;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.stranded.StrandedImageFinder;

/**
 * The operator's own Prometheus metrics, beside the JOSDK ones: reconciliations, GlanceAPIs by phase (their Ready
 * reason), staging claims by phase and the staging capacity requested. Gauges read a per-GlanceAPI snapshot taken at
 * the end of each reconcile, so scraping costs no API request.
 */
@ApplicationScoped
public class OperatorMetrics {

    public static final String RECONCILIATIONS = "glance_import_reconciliations";
    static final String[] PHASES = { "Ready", "WaitingForPods", "WaitingForDBSync", "DBSyncFailed", "StagingNotReady",
            "InvalidInput" };
    static final String[] CLAIM_PHASES = { "Bound", "Pending", "Lost", "Missing" };

    static final String[] OUTCOMES = { "applied", "invalid", "error" };
    public static final String STRANDED_IMAGES = "glance_import_stranded_images";
    static final String INTERRUPTED_IMPORTS = "glance_import_interrupted_imports";

    static final String SCALE_DOWN_HOLD_TIMEOUTS = "glance_import_scale_down_hold_timeouts";

    /**
     * {@code desired}: spec.replicas; {@code replicas}, {@code ready}: what the StatefulSet runs and has Ready;
     * {@code held}: a scale-down waits for staged or running imports.
     */
    record Snapshot(String phase, Map<String, Integer> claims, double requestedBytes, int strandedImages, int interruptedImports,
            int desired, int replicas, int ready, boolean held, ImportLoad load) {
    }

    public static final String IMPORTS_IN_FLIGHT = "glance_import_imports_in_flight";
    public static final String POD_IMPORTS_IN_FLIGHT = "glance_import_pod_imports_in_flight";
    public static final String POD_STAGED_BYTES = "glance_import_pod_staged_bytes";

    private final MeterRegistry registry;
    private final Map<ResourceID, Snapshot> snapshots = new ConcurrentHashMap<>();
    /** Gauges per GlanceAPI: a stranded image or an interrupted import is something to find by name. */
    private final Map<ResourceID, List<Gauge>> perGlanceApi = new ConcurrentHashMap<>();
    /** Per pod: rows follow the pods each GlanceAPI runs, replaced at every observation. */
    private final MultiGauge podImportsInFlight;
    private final MultiGauge podStagedBytes;

    public OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
        // a registry can outlive this application (Quarkus restarts it in one JVM in dev mode and tests): its gauges of an
        // earlier instance would read that instance's snapshots, and registering again would return them
        for (String name : new String[] { "glance_import_glanceapis", "glance_import_staging_claims",
                "glance_import_staging_requested_bytes", POD_IMPORTS_IN_FLIGHT, POD_STAGED_BYTES }) {
            registry.find(name).meters().forEach(registry::remove);
        }
        for (String phase : PHASES) {
            gauge("glance_import_glanceapis", "GlanceAPIs by phase", "phase", phase,
                    s -> s.phase().equals(phase) ? 1 : 0);
        }
        for (String phase : CLAIM_PHASES) {
            gauge("glance_import_staging_claims", "Staging claims of GlanceAPI pods by phase", "phase", phase,
                    s -> s.claims().getOrDefault(phase, 0));
        }
        // every series from the start: a rate over a counter that appears with its first error misses that error
        for (String controller : new String[] { Names.GLANCEAPI_CONTROLLER, Names.STAGING_CONTROLLER }) {
            for (String outcome : OUTCOMES) {
                reconciliations(controller, outcome);
            }
        }
        Gauge.builder("glance_import_staging_requested_bytes", snapshots,
                m -> m.values().stream().mapToDouble(Snapshot::requestedBytes).sum())
                .description("Staging capacity requested by all GlanceAPI pods").baseUnit("bytes").register(registry);
        podImportsInFlight = MultiGauge.builder(POD_IMPORTS_IN_FLIGHT).description("Images staged and waiting for their import, "
                + "or being imported, on each glance-api pod, at the last look at Glance's database").register(registry);
        podStagedBytes = MultiGauge.builder(POD_STAGED_BYTES).description("Bytes of the images staged on each glance-api pod, "
                + "at the last look at Glance's database").baseUnit("bytes").register(registry);
    }

    private void gauge(String name, String description, String tag, String value, ToDoubleFunction<Snapshot> of) {
        Gauge.builder(name, snapshots, m -> m.values().stream().mapToDouble(of).sum()).description(description).tag(tag, value)
                .register(registry);
    }

    public void reconciled(String controller, String outcome) {
        reconciliations(controller, outcome).increment();
    }

    private Counter reconciliations(String controller, String outcome) {
        return Counter.builder(RECONCILIATIONS).description("Reconciliations finished, by controller and outcome (applied, "
                + "invalid input, error)").tag("controller", controller).tag("outcome", outcome).register(registry);
    }

    /** Records where a GlanceAPI stands; {@code phase} is its Ready reason folded into a small set. */
    public void observe(ResourceID key, GlanceAPIStatus status, double stagingBytesPerPod, int desired, ImportLoad load) {
        String ready = Conditions.get(status, Conditions.READY).map(c -> c.getReason()).orElse("InvalidInput");
        String phase = switch (ready) {
            case "Ready", "WaitingForPods", "WaitingForDBSync", "DBSyncFailed", "StagingNotReady" -> ready;
            default -> "InvalidInput";
        };
        Map<String, Integer> claims = new HashMap<>();
        for (StagingClaimStatus c : status.stagingClaims) {
            claims.merge(c.phase, 1, Integer::sum);
        }
        List<StrandedImage> listed = status.strandedImages == null ? List.of() : status.strandedImages;
        int interrupted = (int) listed.stream().filter(s -> StrandedImageFinder.IMPORT_INTERRUPTED.equals(s.reason)).count();
        Snapshot snapshot = new Snapshot(phase, claims, stagingBytesPerPod * status.stagingClaims.size(), listed.size() - interrupted,
                interrupted, desired, value(status.replicas), value(status.readyReplicas),
                Conditions.isTrue(status, Conditions.SCALE_DOWN_BLOCKED), load);
        Snapshot before = snapshots.put(key, snapshot);
        if (podRows(before) != podRows(snapshot)) {
            refreshPods();
        }
        perGlanceApi.computeIfAbsent(key, id -> {
            // at 0 from the first reconcile: an alert on its increase must see the first timeout
            holdTimeouts(id);
            return List.of(
                perGlanceApiGauge(id, STRANDED_IMAGES, "Images staged on pods or claims that are gone (status.strandedImages)",
                        Snapshot::strandedImages),
                perGlanceApiGauge(id, INTERRUPTED_IMPORTS, "Imports cut short by a stop of their glance-api "
                        + "(status.strandedImages, reason ImportInterrupted)", Snapshot::interruptedImports),
                perGlanceApiGauge(id, "glance_import_glanceapi_desired_replicas", "Pods wanted: spec.replicas, or with "
                        + "spec.autoscaling status.autoscaling.desiredReplicas", Snapshot::desired),
                perGlanceApiGauge(id, IMPORTS_IN_FLIGHT, "Imports in flight: images staged and waiting for their import, "
                        + "being imported, or being uploaded, at the last look at Glance's database",
                        s -> s.load() == null ? 0 : s.load().total()),
                perGlanceApiGauge(id, "glance_import_glanceapi_replicas", "glance-api pods the StatefulSet runs (status.replicas)",
                        Snapshot::replicas),
                perGlanceApiGauge(id, "glance_import_glanceapi_ready_replicas", "glance-api pods that are Ready (status.readyReplicas)",
                        Snapshot::ready),
                perGlanceApiGauge(id, "glance_import_glanceapi_ready", "1 while the GlanceAPI's Ready condition is True",
                        s -> "Ready".equals(s.phase()) ? 1 : 0),
                perGlanceApiGauge(id, "glance_import_scale_down_held", "1 while a scale-down waits for images staged or being "
                        + "imported on the pods it would remove (condition ScaleDownBlocked)", s -> s.held() ? 1 : 0));
        });
    }

    /** Pods a GlanceAPI has rows for: those it runs, none before its database has been asked. */
    private static int podRows(Snapshot s) {
        return s == null || s.load() == null ? 0 : Math.max(s.replicas(), s.desired());
    }

    /**
     * One row per pod each GlanceAPI runs, reading the snapshots when scraped: replaced only when the pods change, not at
     * every reconcile. Synchronized: reconciles of several GlanceAPIs end at once, and two replacements of one
     * MultiGauge's rows at a time register a row twice.
     */
    private synchronized void refreshPods() {
        List<MultiGauge.Row<?>> inFlight = new ArrayList<>();
        List<MultiGauge.Row<?>> bytes = new ArrayList<>();
        snapshots.forEach((id, s) -> {
            for (int i = 0; i < podRows(s); i++) {
                int ordinal = i;
                Tags tags = Tags.of("namespace", id.getNamespace().orElse(""), "glanceapi", id.getName(), "pod", id.getName() + "-" + i);
                inFlight.add(MultiGauge.Row.of(tags, snapshots, m -> podValue(m.get(id), l -> l.inFlight(ordinal))));
                bytes.add(MultiGauge.Row.of(tags, snapshots, m -> podValue(m.get(id), l -> l.stagedBytes(ordinal))));
            }
        });
        podImportsInFlight.register(inFlight, true);
        podStagedBytes.register(bytes, true);
    }

    private static double podValue(Snapshot s, ToDoubleFunction<ImportLoad> of) {
        return s == null || s.load() == null ? 0 : of.applyAsDouble(s.load());
    }

    /** A held scale-down proceeded at its timeout: the staged data on the removed pods is lost. */
    public void scaleDownHoldTimedOut(GlanceAPI api) {
        holdTimeouts(ResourceID.fromResource(api)).increment();
    }

    private Counter holdTimeouts(ResourceID id) {
        return Counter.builder(SCALE_DOWN_HOLD_TIMEOUTS).description("Scale-downs that proceeded after scaleDownHoldSeconds with "
                + "images still staged or being imported on the removed pods").tag("namespace", id.getNamespace().orElse(""))
                .tag("glanceapi", id.getName()).register(registry);
    }

    private static int value(Integer i) {
        return i == null ? 0 : i;
    }

    private Gauge perGlanceApiGauge(ResourceID id, String name, String description, ToDoubleFunction<Snapshot> of) {
        // as in the constructor: not a gauge an earlier instance left in the registry
        registry.find(name).tag("namespace", id.getNamespace().orElse("")).tag("glanceapi", id.getName()).meters()
                .forEach(registry::remove);
        return Gauge.builder(name, snapshots, m -> m.containsKey(id) ? of.applyAsDouble(m.get(id)) : 0).description(description)
                .tag("namespace", id.getNamespace().orElse("")).tag("glanceapi", id.getName()).register(registry);
    }

    public void forget(Set<ResourceID> live) {
        registry.find(SCALE_DOWN_HOLD_TIMEOUTS).counters().stream()
                .filter(c -> !live.contains(new ResourceID(c.getId().getTag("glanceapi"), c.getId().getTag("namespace"))))
                .forEach(registry::remove);
        if (snapshots.keySet().retainAll(live)) {
            refreshPods();
        }
        perGlanceApi.entrySet().removeIf(e -> {
            if (live.contains(e.getKey())) {
                return false;
            }
            e.getValue().forEach(registry::remove);
            return true;
        });
    }
}
