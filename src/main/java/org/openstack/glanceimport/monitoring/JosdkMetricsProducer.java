package org.openstack.glanceimport.monitoring;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * JOSDK's reconcile metrics per controller, not per custom resource. QOSDK's default also keeps timers and counters
 * tagged with every GlanceAPI's name and namespace: with 100 GlanceAPIs, 700 histograms in the operator's heap (make
 * measure on a real API server) and as many series for Prometheus to store. Per-GlanceAPI figures that matter have
 * metrics of their own (OperatorMetrics: stranded images).
 */
@Singleton
public class JosdkMetricsProducer {

    @Produces
    @Singleton
    Metrics josdkMetrics(MeterRegistry registry) {
        return MicrometerMetrics.withoutPerResourceMetrics(registry);
    }
}
