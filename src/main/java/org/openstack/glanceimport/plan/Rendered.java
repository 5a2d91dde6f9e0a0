package org.openstack.glanceimport.plan;

import io.javaoperatorsdk.operator.api.reconciler.Context;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.config.RenderedConfig;

public final class Rendered {

    private Rendered() {
    }

    public static final String REPLICAS = "replicas";
    public static final String TARGET = "target-replicas";
    public static final String GROWN_CLAIMS = "grown-claims";

    /** The pods wanted: spec.replicas, or what autoscaling decided; a held scale-down may keep more for a while. */
    public static int target(Context<GlanceAPI> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(TARGET, Integer.class);
    }

    /** Staging claim sizes autoscaling grows under staging pressure, per ordinal. */
    @SuppressWarnings("unchecked")
    public static java.util.Map<Integer, io.fabric8.kubernetes.api.model.Quantity> grownClaims(Context<GlanceAPI> context) {
        return context.managedWorkflowAndDependentResourceContext().get(GROWN_CLAIMS, java.util.Map.class).orElse(java.util.Map.of());
    }

    /** The replicas the StatefulSet may have now: the spec's, unless a scale-down is held for staged images. */
    public static int replicas(Context<GlanceAPI> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(REPLICAS, Integer.class);
    }

    /** The reconciler renders before it runs the workflow; a dependent running without it is a programming error. */
    public static RenderedConfig of(Context<GlanceAPI> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(RenderedConfig.KEY, RenderedConfig.class);
    }
}
