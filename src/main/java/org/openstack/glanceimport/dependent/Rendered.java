package org.openstack.glanceimport.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.config.RenderedConfig;

final class Rendered {

    private Rendered() {
    }

    /** The reconciler renders before it runs the workflow; a dependent running without it is a programming error. */
    static RenderedConfig of(Context<GlanceAPI> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(RenderedConfig.KEY, RenderedConfig.class);
    }
}
