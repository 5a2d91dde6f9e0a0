package org.openstack.glanceimport.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import org.openstack.glanceimport.api.GlanceAPISpec;

/**
 * How many glance-api workers a pod runs. Glance hashes and copies every imported byte in Python, so a pod's import
 * throughput follows its workers; left unset Glance starts one per CPU of the node, not of the container, which can
 * mean dozens of processes in a small pod. So: what the GlanceAPI says, else what the container may use.
 */
public final class Workers {

    /** The most a derived count gives: beyond it, more pods serve better than more workers in one pod. */
    public static final int MAX_DERIVED = 8;

    private Workers() {
    }

    public static int of(GlanceAPISpec spec) {
        if (spec.workers != null) {
            return spec.workers;
        }
        ResourceRequirements resources = spec.resources;
        BigDecimal cpus = resources == null ? null : cpu(resources.getLimits());
        if (cpus == null && resources != null) {
            cpus = cpu(resources.getRequests());
        }
        if (cpus == null) {
            return 1;
        }
        int rounded = cpus.setScale(0, RoundingMode.CEILING).intValueExact();
        return Math.max(1, Math.min(MAX_DERIVED, rounded));
    }

    private static BigDecimal cpu(Map<String, Quantity> quantities) {
        Quantity cpu = quantities == null ? null : quantities.get("cpu");
        return cpu == null ? null : Quantity.getAmountInBytes(cpu);
    }
}
