package org.openstack.glanceimport.plan;

import java.math.BigDecimal;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Quantity;
import io.javaoperatorsdk.operator.api.reconciler.Context;

import org.openstack.glanceimport.autoscaling.ImportAutoscaling;
import org.openstack.glanceimport.autoscaling.LocalFileStoreLimit;
import org.openstack.glanceimport.autoscaling.ScaleDownGuard;
import org.openstack.glanceimport.config.RenderedConfig;
import org.openstack.glanceimport.rollout.UndrainedPodRoll;

/**
 * What one reconcile of a GlanceAPI makes, decided before the workflow runs ({@link Planner}) and read by every
 * dependent: nothing a dependent needs is looked up under a string key.
 *
 * @param rendered the configuration files, their hash and the operand image
 * @param target the pods wanted: spec.replicas, or what autoscaling decided, at most what a pod-local file store allows
 * @param replicas the replicas the StatefulSet gets now: the target, unless a scale-down is held for staged images
 * @param grownClaims staging claim sizes autoscaling grows under staging pressure, per ordinal
 * @param standIns ordinal to stage host: the stand-in pods that answer for removed pods while their stranded images go
 * @param sccAdmission whether pods are admitted by SecurityContextConstraints (OpenShift)
 * @param routesServed whether the cluster serves route.openshift.io/v1 Routes (spec.route can be made)
 * @param glanceCaPem the CA the pods' serving certificate chains to, null without tls (a reencrypt Route verifies with it)
 * @param stagingBytes the staging size the policy gives each pod
 * @param autoscaling the autoscaling decision (also without spec.autoscaling: the load it read)
 * @param localFiles whether a pod-local file store keeps the target below what was asked
 * @param hold the scale-down hold's decision
 * @param roll whether the roll waits for a pod without the import drain (the StatefulSet's partition)
 * @param news what the dependents did on their own initiative, for the status writer to announce
 */
public record ReconcilePlan(RenderedConfig rendered, int target, int replicas, Map<Integer, Quantity> grownClaims,
        Map<Integer, String> standIns, boolean sccAdmission, boolean routesServed, String glanceCaPem, BigDecimal stagingBytes, ImportAutoscaling.Outcome autoscaling,
        LocalFileStoreLimit.Decision localFiles, ScaleDownGuard.Decision hold, UndrainedPodRoll.Decision roll, News news) {

    public ReconcilePlan {
        grownClaims = Map.copyOf(grownClaims);
        standIns = Map.copyOf(standIns);
    }

    /** The plan the reconciler handed to this workflow run; a dependent running without one is a programming error. */
    public static ReconcilePlan of(Context<?> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(ReconcilePlan.class, ReconcilePlan.class);
    }

    /** The one value the reconciler gives the workflow, keyed by its type. */
    public void handTo(Context<?> context) {
        context.managedWorkflowAndDependentResourceContext().put(ReconcilePlan.class, this);
    }
}
