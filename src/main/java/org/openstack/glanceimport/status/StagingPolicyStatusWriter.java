package org.openstack.glanceimport.status;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.api.GlanceImportStaging;
import org.openstack.glanceimport.api.GlanceImportStagingStatus;
import org.openstack.glanceimport.api.staging.AccessMode;
import org.openstack.glanceimport.validation.InputProblem;

/** The one place a GlanceImportStaging's status is written and its Events announced. */
@ApplicationScoped
public class StagingPolicyStatusWriter {

    private final EventRecorder events;

    public StagingPolicyStatusWriter(EventRecorder events) {
        this.events = events;
    }

    /**
     * @param problems what is wrong with the policy, empty when it is valid
     * @param configMap the ConfigMap its import configuration was rendered into, when valid
     */
    public UpdateControl<GlanceImportStaging> reconciled(GlanceImportStaging policy, List<InputProblem> problems, String configMap,
            Context<GlanceImportStaging> context) {
        Long gen = policy.getMetadata().getGeneration();
        GlanceImportStagingStatus status = previous(policy);
        status.observedGeneration = gen;
        if (!problems.isEmpty()) {
            String message = problems.stream().map(InputProblem::describe).collect(Collectors.joining("; "));
            if (Conditions.set(status, Conditions.READY, false, problems.get(0).reason(), message, gen)) {
                events.warning(policy, problems.get(0).reason(), message);
            }
        } else {
            status.configMap = configMap;
            Conditions.set(status, Conditions.READY, true, "Valid", "Import configuration rendered into ConfigMap " + configMap, gen);
        }
        if (policy.getSpec().storage.accessMode == AccessMode.ReadWriteMany) {
            Conditions.set(status, Conditions.SHARED_STAGING, true, "SharedStagingDiscouraged",
                    "ReadWriteMany staging is discouraged: Glance's distributed import needs no shared staging, imports run "
                            + "faster on a non-shared filesystem, few volume types support RWX, and local storage cannot provide it",
                    gen);
        } else {
            Conditions.remove(status, Conditions.SHARED_STAGING);
        }
        return StatusPatch.ifChanged(policy, status, context);
    }

    /** A deletion that waits for the GlanceAPIs still using the policy: named only while it waits. */
    public void deletionBlocked(GlanceImportStaging policy, List<String> consumers, Context<GlanceImportStaging> context) {
        GlanceImportStagingStatus status = previous(policy);
        status.consumers = consumers;
        String message = "Deletion waits until no GlanceAPI uses this policy; still used by " + String.join(", ", consumers);
        if (Conditions.set(status, Conditions.READY, false, "DeletionBlocked", message, policy.getMetadata().getGeneration())) {
            events.warning(policy, "DeletionBlocked", message);
        }
        StatusPatch.ifChanged(policy, status, context);
    }

    /** The status as it was (conditions keep their transition times); consumers are named only while a deletion waits. */
    private static GlanceImportStagingStatus previous(GlanceImportStaging policy) {
        GlanceImportStagingStatus status = new GlanceImportStagingStatus();
        if (policy.getStatus() != null) {
            status.conditions = new ArrayList<>(policy.getStatus().conditions);
            status.configMap = policy.getStatus().configMap;
            status.observedGeneration = policy.getStatus().observedGeneration;
        }
        return status;
    }
}
