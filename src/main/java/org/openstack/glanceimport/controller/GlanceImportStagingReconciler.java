package org.openstack.glanceimport.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.quarkiverse.operatorsdk.annotations.RBACRule;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceImportStaging;
import org.openstack.glanceimport.dependent.ImportConfigMapDependent;
import org.openstack.glanceimport.monitoring.OperatorMetrics;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.runtime.PolicyUsersItemStore;
import org.openstack.glanceimport.runtime.TrimmedItemStore;
import org.openstack.glanceimport.status.StagingPolicyStatusWriter;
import org.openstack.glanceimport.validation.InputProblem;
import org.openstack.glanceimport.validation.ResourceNames;
import org.openstack.glanceimport.validation.StagingPolicyValidator;

/**
 * Validates a staging policy and publishes its rendered import pipeline; a deletion waits for the GlanceAPIs that use it
 * and names them.
 */
@ControllerConfiguration(name = GlanceImportStagingReconciler.NAME, informer = @Informer(itemStore = TrimmedItemStore.class))
@Workflow(explicitInvocation = true, dependents = @Dependent(name = "import-config", type = ImportConfigMapDependent.class))
@RBACRule(apiGroups = GlanceAPI.GROUP, resources = "glanceapis", verbs = { "get", "list", "watch" })
@RBACRule(apiGroups = "", resources = "events", verbs = { "create" })
public class GlanceImportStagingReconciler implements Reconciler<GlanceImportStaging>, Cleaner<GlanceImportStaging> {

    public static final String NAME = Names.STAGING_CONTROLLER;

    private final StagingPolicyStatusWriter status;
    private final OperatorMetrics metrics;

    public GlanceImportStagingReconciler(StagingPolicyStatusWriter status, OperatorMetrics metrics) {
        this.status = status;
        this.metrics = metrics;
    }

    @Override
    public List<EventSource<?, GlanceImportStaging>> prepareEventSources(EventSourceContext<GlanceImportStaging> context) {
        // the inverse mapping (policy -> consumers) is indexed by JOSDK from this one
        return List.of(new InformerEventSource<>(InformerEventSourceConfiguration.from(GlanceAPI.class, GlanceImportStaging.class)
                .withItemStore(new PolicyUsersItemStore())
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(api -> api.getSpec() == null || api.getSpec().stagingRef == null ? Set.of()
                        : Set.of(new ResourceID(api.getSpec().stagingRef, api.getMetadata().getNamespace())))
                .build(), context));
    }

    @Override
    public UpdateControl<GlanceImportStaging> reconcile(GlanceImportStaging policy, Context<GlanceImportStaging> context) {
        List<InputProblem> problems = new ArrayList<>(ResourceNames.staging(policy.getMetadata().getName()));
        problems.addAll(StagingPolicyValidator.validate(policy.getSpec()));
        if (problems.isEmpty()) {
            context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
        }
        metrics.reconciled(NAME, problems.isEmpty() ? "applied" : "invalid");
        return status.reconciled(policy, problems, ImportConfigMapDependent.name(policy), context);
    }

    /**
     * A policy still referenced by a GlanceAPI keeps its finalizer: deleting it would leave those pods unable to render
     * their configuration. The deletion completes by itself once the last consumer stops referring to it.
     */
    @Override
    public DeleteControl cleanup(GlanceImportStaging policy, Context<GlanceImportStaging> context) {
        List<String> consumers = context.getSecondaryResourcesAsStream(GlanceAPI.class).map(api -> api.getMetadata().getName())
                .sorted().toList();
        if (consumers.isEmpty()) {
            return DeleteControl.defaultDelete();
        }
        status.deletionBlocked(policy, consumers, context);
        return DeleteControl.noFinalizerRemoval();
    }
}
