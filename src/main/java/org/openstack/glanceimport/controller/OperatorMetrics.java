package org.openstack.glanceimport.controller;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The operator's own Prometheus metrics, beside the JOSDK ones. */
@ApplicationScoped
public class OperatorMetrics {

    public static final String RECONCILIATIONS = "glance_import_reconciliations";

    private final MeterRegistry registry;

    public OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void reconciled(String controller, String outcome) {
        Counter.builder(RECONCILIATIONS).description("Reconciliations finished, by controller and outcome")
                .tag("controller", controller).tag("outcome", outcome).register(registry).increment();
    }
}
