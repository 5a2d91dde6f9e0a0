package org.openstack.glanceimport.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.config.RenderedConfig;

public final class Rendered {

    private Rendered() {
    }

    public static final String REPLICAS = "replicas";

    /** The replicas the StatefulSet may have now: the spec's, unless a scale-down is held for staged images. */
    static int replicas(Context<GlanceAPI> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(REPLICAS, Integer.class);
    }

    /** The reconciler renders before it runs the workflow; a dependent running without it is a programming error. */
    static RenderedConfig of(Context<GlanceAPI> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(RenderedConfig.KEY, RenderedConfig.class);
    }
}
