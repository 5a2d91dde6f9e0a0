package org.openstack.glanceimport.dependent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.claims.ClaimExpansion;
import org.openstack.glanceimport.claims.ClaimSizes;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.plan.ReconcilePlan;

/**
 * Claims the operator creates per pod, with the names the StatefulSet's claim templates give (so pods adopt them): the
 * staging claims and the image cache claims. Both are matched and updated alike; a subclass says which claims are its own,
 * how many it wants and who owns them.
 */
public abstract class PodClaimsDependent extends KubernetesDependentResource<PersistentVolumeClaim, GlanceAPI>
        implements CRUDKubernetesBulkDependentResource<PersistentVolumeClaim, GlanceAPI>,
        KubernetesBulkDependentResource<PersistentVolumeClaim, GlanceAPI>,
        // pruned by reconciles (scale-down, imageCache off), never by the GlanceAPI's deletion: JOSDK's cleanup deleted
        // every claim, those retention.whenDeleted: Retain keeps included; owner references let Kubernetes collect the
        // others. With no dependent left to clean up, GlanceAPIs need no finalizer either.
        GarbageCollected<GlanceAPI>, SecondaryToPrimaryMapper<PersistentVolumeClaim> {

    protected PodClaimsDependent() {
        super(PersistentVolumeClaim.class);
    }

    /** Whether a claim is of this dependent's kind. */
    protected abstract boolean isMine(PersistentVolumeClaim claim);

    /** The claim of pod {@code ordinal}. */
    protected abstract PersistentVolumeClaim claim(GlanceAPI api, Context<GlanceAPI> context, int ordinal);

    /** Whether this kind of claim exists at all; without it, existing ones are deleted. */
    protected boolean wanted(GlanceAPI api) {
        return true;
    }

    /** Whether claims of pods removed by a scale-down stay for a later scale-up. */
    protected boolean keepExisting(Context<GlanceAPI> context) {
        return false;
    }

    @Override
    public Map<ResourceID, PersistentVolumeClaim> desiredResources(GlanceAPI api, Context<GlanceAPI> context) {
        Map<ResourceID, PersistentVolumeClaim> desired = new HashMap<>();
        if (wanted(api)) {
            for (int ordinal : claimedOrdinals(api, context, keepExisting(context))) {
                PersistentVolumeClaim claim = claim(api, context, ordinal);
                desired.put(ResourceID.fromResource(claim), claim);
            }
        }
        return desired;
    }

    /** JOSDK hands a bulk dependent the claims of every claims informer; only its own kind are its to update or prune. */
    @Override
    public Map<ResourceID, PersistentVolumeClaim> getSecondaryResources(GlanceAPI api, Context<GlanceAPI> context) {
        return ofKind(context, PersistentVolumeClaim.class, this::isMine);
    }

    /** A bulk dependent's own secondaries, picked by kind; a resource two informers see comes twice, so keep one of each. */
    static <R extends HasMetadata> Map<ResourceID, R> ofKind(Context<GlanceAPI> context, Class<R> type, Predicate<R> kind) {
        return context.getSecondaryResourcesAsStream(type).filter(kind).collect(Collectors.toMap(ResourceID::fromResource, r -> r, (a, b) -> a));
    }

    /**
     * Ordinals that keep a claim: those whose pods may run (the spec's, or more while the StatefulSet still scales down),
     * those whose pod still exists (terminating, the claim still mounted), and with {@code keepExisting} every ordinal
     * that has one already. Any other claim is deleted by the bulk reconciler.
     */
    private TreeSet<Integer> claimedOrdinals(GlanceAPI api, Context<GlanceAPI> context, boolean keepExisting) {
        TreeSet<Integer> ordinals = new TreeSet<>();
        for (int i = 0; i < podsThatMayRun(api, context); i++) {
            ordinals.add(i);
        }
        getSecondaryResources(api, context).values().stream()
                .map(PodClaimsDependent::ordinal)
                .filter(Objects::nonNull)
                .filter(i -> !ordinals.contains(i))
                .filter(i -> keepExisting || podExists(api, i, context))
                .forEach(ordinals::add);
        return ordinals;
    }

    /** Ordinals below this may have a pod: the pods wanted, or more while the StatefulSet still scales down. */
    static int podsThatMayRun(GlanceAPI api, Context<GlanceAPI> context) {
        int running = context.getSecondaryResource(StatefulSet.class)
                .map(sts -> Math.max(orZero(sts.getSpec().getReplicas()), sts.getStatus() == null ? 0 : orZero(sts.getStatus().getReplicas())))
                .orElse(0);
        return Math.max(ReconcilePlan.of(context).target(), running);
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

    /** Claims of a GlanceAPI by its label: retained claims have no owner reference to map them by. */
    @Override
    public Set<ResourceID> toPrimaryResourceIDs(PersistentVolumeClaim claim) {
        String owner = claim.getMetadata().getLabels() == null ? null : claim.getMetadata().getLabels().get(Names.GLANCEAPI_LABEL);
        return owner == null ? Set.of() : Set.of(new ResourceID(owner, claim.getMetadata().getNamespace()));
    }

    /** Subclasses set owner references themselves (staging claims follow retention.whenDeleted). */
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
        boolean size = ClaimSizes.requested(actual).compareTo(ClaimSizes.requested(desired)) >= 0;
        return Matcher.Result.computed(labels && owners && size, desired);
    }

    /**
     * Updates only what a bound claim allows to change: its request (growing only, and only where the StorageClass
     * allows expansion; the status explains otherwise), its labels and its owners.
     */
    @Override
    public PersistentVolumeClaim update(PersistentVolumeClaim actual, PersistentVolumeClaim desired, GlanceAPI api,
            Context<GlanceAPI> context) {
        boolean grow = ClaimSizes.requested(desired).compareTo(ClaimSizes.requested(actual)) > 0 && ClaimExpansion.allowed(context.getClient(), actual);
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
        List<OwnerReference> owners = new ArrayList<>(actual.getMetadata().getOwnerReferences());
        owners.removeIf(o -> Objects.equals(o.getUid(), api.getMetadata().getUid()));
        owners.addAll(desired.getMetadata().getOwnerReferences());
        return owners;
    }

    private static boolean ownedByUs(PersistentVolumeClaim claim, GlanceAPI api) {
        return claim.getMetadata().getOwnerReferences().stream().anyMatch(o -> Objects.equals(o.getUid(), api.getMetadata().getUid()));
    }

}
