package org.openstack.glanceimport.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

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

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceImportStaging;
import org.openstack.glanceimport.api.GlanceImportStagingStatus;
import org.openstack.glanceimport.api.staging.AccessMode;
import org.openstack.glanceimport.dependent.ImportConfigMapDependent;
import org.openstack.glanceimport.monitoring.OperatorMetrics;
import org.openstack.glanceimport.runtime.PolicyUsersItemStore;
import org.openstack.glanceimport.runtime.TrimmedItemStore;
import org.openstack.glanceimport.status.EventRecorder;
import org.openstack.glanceimport.status.StatusPatch;
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

    public static final String NAME = "glanceimportstaging";

    private final EventRecorder events;
    private final OperatorMetrics metrics;

    public GlanceImportStagingReconciler(EventRecorder events, OperatorMetrics metrics) {
        this.events = events;
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
        Long gen = policy.getMetadata().getGeneration();
        GlanceImportStagingStatus status = previousStatus(policy);
        status.observedGeneration = gen;

        List<InputProblem> problems = new ArrayList<>(ResourceNames.staging(policy.getMetadata().getName()));
        problems.addAll(StagingPolicyValidator.validate(policy.getSpec()));
        if (!problems.isEmpty()) {
            String message = problems.stream().map(InputProblem::describe).collect(Collectors.joining("; "));
            if (Conditions.set(status, Conditions.READY, false, problems.get(0).reason(), message, gen)) {
                events.warning(policy, problems.get(0).reason(), message);
            }
        } else {
            context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
            status.configMap = ImportConfigMapDependent.name(policy);
            Conditions.set(status, Conditions.READY, true, "Valid", "Import configuration rendered into ConfigMap " + status.configMap,
                    gen);
        }
        if (policy.getSpec().storage.accessMode == AccessMode.ReadWriteMany) {
            Conditions.set(status, Conditions.SHARED_STAGING, true, "SharedStagingDiscouraged",
                    "ReadWriteMany staging is discouraged: Glance's distributed import needs no shared staging, imports run "
                            + "faster on a non-shared filesystem, few volume types support RWX, and local storage cannot provide it",
                    gen);
        } else {
            Conditions.remove(status, Conditions.SHARED_STAGING);
        }
        metrics.reconciled(NAME, problems.isEmpty() ? "applied" : "invalid");
        return StatusPatch.ifChanged(policy, status, context);
    }

    /**
     * A policy still referenced by a GlanceAPI keeps its finalizer: deleting it would leave those pods unable to render
     * their configuration. The deletion completes by itself once the last consumer stops referring to it.
     */
    @Override
    public DeleteControl cleanup(GlanceImportStaging policy, Context<GlanceImportStaging> context) {
        GlanceImportStagingStatus status = previousStatus(policy);
        status.consumers = context.getSecondaryResourcesAsStream(GlanceAPI.class).map(api -> api.getMetadata().getName()).sorted()
                .toList();
        if (status.consumers.isEmpty()) {
            return DeleteControl.defaultDelete();
        }
        String message = "Deletion waits until no GlanceAPI uses this policy; still used by " + String.join(", ", status.consumers);
        if (Conditions.set(status, Conditions.READY, false, "DeletionBlocked", message, policy.getMetadata().getGeneration())) {
            events.warning(policy, "DeletionBlocked", message);
        }
        StatusPatch.ifChanged(policy, status, context);
        return DeleteControl.noFinalizerRemoval();
    }

    /** The status as it was (conditions keep their transition times); consumers are named only while a deletion waits. */
    private static GlanceImportStagingStatus previousStatus(GlanceImportStaging policy) {
        GlanceImportStagingStatus status = new GlanceImportStagingStatus();
        if (policy.getStatus() != null) {
            status.conditions = new ArrayList<>(policy.getStatus().conditions);
            status.configMap = policy.getStatus().configMap;
            status.observedGeneration = policy.getStatus().observedGeneration;
        }
        return status;
    }
}
