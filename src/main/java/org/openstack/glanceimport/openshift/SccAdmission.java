package org.openstack.glanceimport.openshift;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.plan.ReconcilePlan;

/**
 * On OpenShift every pod is admitted under a SecurityContextConstraints. The default, restricted-v2, runs pods only
 * with a uid of the namespace's range, and glance's is fixed (42415, the owner of the image's files). nonroot-v2 admits
 * any non-root uid and otherwise asks what restricted-v2 asks (all capabilities dropped, no privilege escalation,
 * RuntimeDefault seccomp, the usual volume types), which the pods already meet. So each GlanceAPI's pods run under a
 * ServiceAccount of their own, bound to a Role that may use nonroot-v2, as the upstream Glance operator does.
 */
public final class SccAdmission {

    public static final String SCC = "nonroot-v2";

    private SccAdmission() {
    }

    /** The Role and RoleBinding that let the pods' ServiceAccount use {@link #SCC}. */
    public static String role(GlanceAPI api) {
        return api.getMetadata().getName() + "-" + SCC;
    }

    static boolean required(Context<GlanceAPI> context) {
        return ReconcilePlan.of(context).sccAdmission();
    }

    /** The ServiceAccount the GlanceAPI's pods run under, or null for the namespace's default one. */
    public static String podServiceAccount(GlanceAPI api, Context<GlanceAPI> context) {
        return required(context) ? Names.serviceAccount(api) : null;
    }

    /** The activation condition of the ServiceAccount, Role and RoleBinding: only where pods are admitted by SCC. */
    public static class Required implements Condition<HasMetadata, GlanceAPI> {
        @Override
        public boolean isMet(DependentResource<HasMetadata, GlanceAPI> dependent, GlanceAPI api, Context<GlanceAPI> context) {
            return required(context);
        }
    }
}
