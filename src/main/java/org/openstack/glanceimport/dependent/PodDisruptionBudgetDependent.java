package org.openstack.glanceimport.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.plan.ReconcilePlan;
import org.openstack.glanceimport.runtime.TrimmedItemStore;

/** Keeps node drains from taking more than one glance-api pod (and its staged images) away at a time. */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_BY_SELECTOR, itemStore = TrimmedItemStore.class))
public class PodDisruptionBudgetDependent extends CRUDKubernetesDependentResource<PodDisruptionBudget, GlanceAPI> {

    public PodDisruptionBudgetDependent() {
        super(PodDisruptionBudget.class);
    }

    @Override
    protected PodDisruptionBudget desired(GlanceAPI api, Context<GlanceAPI> context) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(Names.metadata(api, api.getMetadata().getName()))
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(1))
                .withNewSelector().withMatchLabels(Names.selectorLabels(api)).endSelector()
                .endSpec()
                .build();
    }

    /** A budget for a single pod would block every node drain. */
    public static class NeededWithReplicas implements Condition<PodDisruptionBudget, GlanceAPI> {
        @Override
        public boolean isMet(DependentResource<PodDisruptionBudget, GlanceAPI> dependent, GlanceAPI api, Context<GlanceAPI> context) {
            return ReconcilePlan.of(context).target() > 1;
        }
    }
}
