package org.openstack.glanceimport.dependent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
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
public class StagingClaimsDependent extends KubernetesDependentResource<PersistentVolumeClaim, GlanceAPI>
        implements CRUDKubernetesBulkDependentResource<PersistentVolumeClaim, GlanceAPI>,
        KubernetesBulkDependentResource<PersistentVolumeClaim, GlanceAPI> {

    public StagingClaimsDependent() {
        super(PersistentVolumeClaim.class);
    }

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

    /** The informer also sees the image cache claims; those belong to CacheClaimsDependent and must never be pruned here. */
    @Override
    public Map<ResourceID, PersistentVolumeClaim> getSecondaryResources(GlanceAPI api, Context<GlanceAPI> context) {
        return CacheClaimsDependent.ofKind(context, PersistentVolumeClaim.class,
                claim -> claim.getMetadata().getLabels() != null && claim.getMetadata().getLabels().containsKey(Names.STAGING_LABEL));
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
                .map(StagingClaimsDependent::ordinal)
                .filter(Objects::nonNull)
                .filter(i -> !ordinals.contains(i))
                // the StatefulSet may report fewer replicas while a terminating pod still has the claim mounted
                .filter(i -> retain || podExists(api, i, context))
                .forEach(ordinals::add);
        return ordinals;
    }

    /** Ordinals below this may have a pod: the spec's replicas, or more while the StatefulSet still scales down. */
    static int podsThatMayRun(GlanceAPI api, Context<GlanceAPI> context) {
        int running = context.getSecondaryResource(StatefulSet.class)
                .map(sts -> Math.max(orZero(sts.getSpec().getReplicas()), sts.getStatus() == null ? 0 : orZero(sts.getStatus().getReplicas())))
                .orElse(0);
        return Math.max(api.getSpec().replicas, running);
    }

    /** A direct read, made only for claims about to be deleted, i.e. briefly after a scale-down. */
    static boolean podExists(GlanceAPI api, int ordinal, Context<GlanceAPI> context) {
        return context.getClient().pods().inNamespace(api.getMetadata().getNamespace()).withName(Names.pod(api, ordinal)).get() != null;
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }

    static Integer ordinal(PersistentVolumeClaim claim) {
        String value = claim.getMetadata().getLabels() == null ? null : claim.getMetadata().getLabels().get(Names.ORDINAL_LABEL);
        try {
            return value == null ? null : Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static PersistentVolumeClaim claim(GlanceAPI api, GlanceImportStaging policy, int ordinal) {
        StagingStorage storage = policy.getSpec().storage;
        return perPodClaim(api, Names.stagingClaim(api, ordinal), ordinal, Names.STAGING_LABEL, policy.getMetadata().getName(),
                storage.accessMode.name(), storage.size, storage.storageClassName,
                policy.getSpec().retention.whenDeleted == RetentionPolicy.Delete);
    }

    /** A claim of one pod, labelled with its ordinal and its kind (staging or cache). */
    static PersistentVolumeClaim perPodClaim(GlanceAPI api, String name, int ordinal, String kindLabel, String kindValue,
            String accessMode, Quantity size, String storageClassName, boolean ownedByApi) {
        Map<String, String> labels = Names.labels(api);
        labels.put(Names.ORDINAL_LABEL, Integer.toString(ordinal));
        labels.put(kindLabel, kindValue);
        PersistentVolumeClaimBuilder builder = new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(api.getMetadata().getNamespace())
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withAccessModes(accessMode)
                .withStorageClassName(storageClassName)
                .withNewResources()
                .addToRequests("storage", size)
                .endResources()
                .endSpec();
        if (ownedByApi) {
            builder.editMetadata().withOwnerReferences(ownerReference(api)).endMetadata();
        }
        return builder.build();
    }

    static OwnerReference ownerReference(GlanceAPI api) {
        return new OwnerReferenceBuilder()
                .withApiVersion(api.getApiVersion())
                .withKind(api.getKind())
                .withName(api.getMetadata().getName())
                .withUid(api.getMetadata().getUid())
                .withBlockOwnerDeletion(false)
                .build();
    }

    @Override
    public void deleteTargetResource(GlanceAPI api, PersistentVolumeClaim claim, ResourceID key, Context<GlanceAPI> context) {
        super.deleteTargetResource(api, claim, key, context);
        Announcer.normal(context, api, "StagingClaimDeleted", "Deleted staging claim " + claim.getMetadata().getName()
                + " of a pod removed by scale-down (retention.whenScaled: Delete)");
    }

    /** Owner references follow retention.whenDeleted, so this class sets them itself instead of JOSDK. */
    @Override
    protected boolean addOwnerReference() {
        return false;
    }

    /**
     * A claim matches when it is at least as large as the policy asks (it may have been expanded beyond), carries our
     * labels, and has the owner references retention calls for. Everything else in a bound claim belongs to Kubernetes.
     */
    @Override
    public Matcher.Result<PersistentVolumeClaim> match(PersistentVolumeClaim actual, PersistentVolumeClaim desired, GlanceAPI api,
            Context<GlanceAPI> context) {
        boolean labels = carriesLabels(actual, desired);
        boolean owners = ownedByUs(actual, api) == ownedByUs(desired, api);
        boolean size = requested(actual).compareTo(requested(desired)) >= 0;
        return Matcher.Result.computed(labels && owners && size, desired);
    }

    /**
     * Updates only what a bound claim allows to change: its request (growing only, and only where the StorageClass
     * allows expansion; the status explains otherwise), its labels and its owners.
     */
    @Override
    public PersistentVolumeClaim update(PersistentVolumeClaim actual, PersistentVolumeClaim desired, GlanceAPI api,
            Context<GlanceAPI> context) {
        boolean grow = requested(desired).compareTo(requested(actual)) > 0 && ClaimExpansion.allowed(context.getClient(), actual);
        Quantity size = (grow ? desired : actual).getSpec().getResources().getRequests().get("storage");
        PersistentVolumeClaim merged = new PersistentVolumeClaimBuilder(actual)
                .editMetadata()
                .addToLabels(desired.getMetadata().getLabels())
                .withOwnerReferences(mergedOwners(actual, desired, api))
                .endMetadata()
                .editSpec().editResources().addToRequests("storage", size).endResources().endSpec()
                .build();
        if (merged.equals(actual)) {
            return actual;
        }
        if (useSSA(context)) {
            PersistentVolumeClaim applied = new PersistentVolumeClaimBuilder(desired)
                    .editSpec().editResources().addToRequests("storage", size).endResources().endSpec().build();
            return super.update(actual, applied, api, context);
        }
        // JOSDK's non-SSA update copies only labels, annotations and spec; owners must travel too
        return prepare(context, merged, api, "Updating").update();
    }

    /** Whether a claim has every label we want on it; others may add their own. */
    static boolean carriesLabels(PersistentVolumeClaim actual, PersistentVolumeClaim desired) {
        Map<String, String> labels = actual.getMetadata().getLabels() == null ? Map.of() : actual.getMetadata().getLabels();
        return labels.entrySet().containsAll(desired.getMetadata().getLabels().entrySet());
    }

    private static List<OwnerReference> mergedOwners(PersistentVolumeClaim actual, PersistentVolumeClaim desired, GlanceAPI api) {
        List<OwnerReference> owners = new java.util.ArrayList<>(actual.getMetadata().getOwnerReferences());
        owners.removeIf(o -> Objects.equals(o.getUid(), api.getMetadata().getUid()));
        owners.addAll(desired.getMetadata().getOwnerReferences());
        return owners;
    }

    private static boolean ownedByUs(PersistentVolumeClaim claim, GlanceAPI api) {
        return claim.getMetadata().getOwnerReferences().stream().anyMatch(o -> Objects.equals(o.getUid(), api.getMetadata().getUid()));
    }

    /** Bytes a claim requests; zero when it names no size. */
    public static java.math.BigDecimal requested(PersistentVolumeClaim claim) {
        Quantity q = claim.getSpec() == null || claim.getSpec().getResources() == null
                || claim.getSpec().getResources().getRequests() == null ? null
                        : claim.getSpec().getResources().getRequests().get("storage");
        return q == null ? java.math.BigDecimal.ZERO : Quantity.getAmountInBytes(q);
    }
}
