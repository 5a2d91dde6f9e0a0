package org.openstack.glanceimport.dependent;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceImportStaging;
import org.openstack.glanceimport.api.staging.RetentionPolicy;
import org.openstack.glanceimport.api.staging.StagingStorage;
import org.openstack.glanceimport.claims.ClaimSizes;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.plan.ReconcilePlan;
import org.openstack.glanceimport.runtime.TrimmedItemStore;

/**
 * The per-pod staging claims {@code staging-<name>-<i>}. The operator creates them itself, before the StatefulSet asks for
 * more pods, so their size can grow later (templates are immutable) and their fate on scale-down and deletion follows the
 * staging policy's retention instead of the StatefulSet controller's defaults.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_BY_SELECTOR, itemStore = TrimmedItemStore.class))
public class StagingClaimsDependent extends PodClaimsDependent {

    /** Under whenScaled Retain every existing claim stays, so a later scale-up reuses it. */
    @Override
    protected boolean keepExisting(Context<GlanceAPI> context) {
        return ReconcilePlan.of(context).rendered().staging().getSpec().retention.whenScaled == RetentionPolicy.Retain;
    }

    @Override
    protected PersistentVolumeClaim claim(GlanceAPI api, Context<GlanceAPI> context, int ordinal) {
        PersistentVolumeClaim claim = claim(api, ReconcilePlan.of(context).rendered().staging(), ordinal);
        // grown under staging pressure (spec.autoscaling): wanted once; the claim keeps that size, which matches from then on
        var grown = ReconcilePlan.of(context).grownClaims().get(ordinal);
        if (grown != null && Quantity.getAmountInBytes(grown).compareTo(ClaimSizes.requested(claim)) > 0) {
            claim.getSpec().getResources().getRequests().put("storage", grown);
        }
        return claim;
    }

    @Override
    protected boolean isMine(PersistentVolumeClaim claim) {
        return claim.getMetadata().getLabels() != null && claim.getMetadata().getLabels().containsKey(Names.STAGING_LABEL);
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
        ReconcilePlan.of(context).news().normal(api, "StagingClaimDeleted", "Deleted staging claim " + claim.getMetadata().getName()
                + " of a pod removed by scale-down (retention.whenScaled: Delete)");
    }
}
