package org.openstack.glanceimport.dependent;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceImportStaging;
import org.openstack.glanceimport.api.RetentionPolicy;
import org.openstack.glanceimport.api.StagingStorage;

/**
 * The per-pod staging claims {@code staging-<name>-<i>}. The operator creates them itself, before the StatefulSet asks for
 * more pods, so their size can grow later (templates are immutable) and their fate on scale-down and deletion follows the
 * staging policy's retention instead of the StatefulSet controller's defaults.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_BY_SELECTOR))
public class StagingClaimsDependent extends PodClaimsDependent {

    @Override
    public Map<ResourceID, PersistentVolumeClaim> desiredResources(GlanceAPI api, Context<GlanceAPI> context) {
        GlanceImportStaging policy = Rendered.of(context).staging();
        Map<ResourceID, PersistentVolumeClaim> desired = new HashMap<>();
        for (int ordinal : claimedOrdinals(api, policy, context)) {
            PersistentVolumeClaim claim = claim(api, policy, ordinal);
            desired.put(ResourceID.fromResource(claim), claim);
        }
        return desired;
    }

    @Override
    protected boolean isMine(PersistentVolumeClaim claim) {
        return claim.getMetadata().getLabels() != null && claim.getMetadata().getLabels().containsKey(Names.STAGING_LABEL);
    }

    /**
     * Ordinals that keep a claim: those the spec wants; those whose pods may still run (the StatefulSet has not finished
     * scaling down, or a pod still exists); and, under whenScaled Retain, every ordinal that already has a claim, so a
     * later scale-up reuses it. Any other claim is deleted by the bulk reconciler: whenScaled Delete after scale-down.
     */
    static TreeSet<Integer> claimedOrdinals(GlanceAPI api, GlanceImportStaging policy, Context<GlanceAPI> context) {
        TreeSet<Integer> ordinals = new TreeSet<>();
        for (int i = 0; i < podsThatMayRun(api, context); i++) {
            ordinals.add(i);
        }
        boolean retain = policy.getSpec().retention.whenScaled == RetentionPolicy.Retain;
        context.getSecondaryResourcesAsStream(PersistentVolumeClaim.class)
                .filter(c -> c.getMetadata().getLabels().containsKey(Names.STAGING_LABEL))
                .map(PodClaimsDependent::ordinal)
                .filter(java.util.Objects::nonNull)
                .filter(i -> !ordinals.contains(i))
                // the StatefulSet may report fewer replicas while a terminating pod still has the claim mounted
                .filter(i -> retain || podExists(api, i, context))
                .forEach(ordinals::add);
        return ordinals;
    }

    static PersistentVolumeClaim claim(GlanceAPI api, GlanceImportStaging policy, int ordinal) {
        StagingStorage storage = policy.getSpec().storage;
        return perPodClaim(api, Names.stagingClaim(api, ordinal), ordinal, Names.STAGING_LABEL, policy.getMetadata().getName(),
                storage.accessMode.name(), storage.size, storage.storageClassName,
                policy.getSpec().retention.whenDeleted == RetentionPolicy.Delete);
    }

    @Override
    public void deleteTargetResource(GlanceAPI api, PersistentVolumeClaim claim, ResourceID key, Context<GlanceAPI> context) {
        super.deleteTargetResource(api, claim, key, context);
        Announcer.normal(context, api, "StagingClaimDeleted", "Deleted staging claim " + claim.getMetadata().getName()
                + " of a pod removed by scale-down (retention.whenScaled: Delete)");
    }
}
