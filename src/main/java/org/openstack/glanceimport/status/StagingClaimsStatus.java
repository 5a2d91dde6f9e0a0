package org.openstack.glanceimport.status;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPIStatus;
import org.openstack.glanceimport.api.GlanceImportStaging;
import org.openstack.glanceimport.api.StagingClaimStatus;
import org.openstack.glanceimport.api.staging.StagingStorage;
import org.openstack.glanceimport.claims.ClaimExpansion;
import org.openstack.glanceimport.claims.ClaimSizes;
import org.openstack.glanceimport.naming.Names;

/**
 * The staging part of a GlanceAPI's status: one entry per pod, and a StagingReady condition that says what is wrong
 * with the claims and what the user can do about it.
 */
final class StagingClaimsStatus {

    private StagingClaimsStatus() {
    }

    /** A claim autoscaling grew under staging pressure (up to maxStagingSize) is as it should be, not one to shrink. */
    private static boolean grownUnderPressure(GlanceAPI api, BigDecimal requested) {
        var autoscaling = api.getSpec().autoscaling;
        return autoscaling != null && autoscaling.maxStagingSize != null
                && requested.compareTo(Quantity.getAmountInBytes(autoscaling.maxStagingSize)) <= 0;
    }

    /** Returns whether staging is usable. */
    static boolean update(GlanceAPI api, int wanted, GlanceAPIStatus status, GlanceImportStaging policy,
            Function<String, PersistentVolumeClaim> claims, Predicate<PersistentVolumeClaim> expandable) {
        StagingStorage storage = policy.getSpec().storage;
        BigDecimal wantedBytes = Quantity.getAmountInBytes(storage.size);
        List<StagingClaimStatus> entries = new ArrayList<>();
        Map<String, Integer> phases = new TreeMap<>();
        List<String> mismatched = new ArrayList<>();
        List<String> notExpandable = new ArrayList<>();
        List<String> larger = new ArrayList<>();
        List<String> resizing = new ArrayList<>();
        for (int i = 0; i < wanted; i++) {
            String name = Names.stagingClaim(api, i);
            PersistentVolumeClaim claim = claims.apply(name);
            String phase = claim == null ? "Missing" : phaseOf(claim);
            phases.merge(phase, 1, Integer::sum);
            entries.add(new StagingClaimStatus(Names.pod(api, i), name, phase, claim == null ? null : capacityOf(claim),
                    Names.selfReferenceUrl(api, i)));
            if (claim == null) {
                continue;
            }
            if (!claim.getSpec().getAccessModes().equals(List.of(storage.accessMode.name()))
                    || (storage.storageClassName != null && !storage.storageClassName.equals(claim.getSpec().getStorageClassName()))) {
                mismatched.add(name + " (" + String.join(",", claim.getSpec().getAccessModes()) + ", class "
                        + ClaimExpansion.className(claim) + ")");
            }
            BigDecimal requested = ClaimSizes.requested(claim);
            int cmp = requested.compareTo(wantedBytes);
            if (cmp < 0 && !expandable.test(claim)) {
                notExpandable.add(name + " (class " + ClaimExpansion.className(claim) + ")");
            } else if (cmp > 0 && !grownUnderPressure(api, requested)) {
                larger.add(name);
            } else if (claim.getStatus() != null && claim.getStatus().getCapacity() != null
                    && claim.getStatus().getCapacity().get("storage") != null
                    && bytes(claim.getStatus().getCapacity().get("storage")).compareTo(requested) < 0) {
                resizing.add(name + " to " + claim.getSpec().getResources().getRequests().get("storage"));
            }
        }
        status.stagingClaims = entries;
        String summary = wanted + " staging claim(s) of " + storage.size + (phases.isEmpty() ? "" : ": "
                + phases.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")));
        Long gen = api.getMetadata().getGeneration();
        if (phases.containsKey("Lost") || phases.containsKey("Missing")) {
            boolean lost = phases.containsKey("Lost");
            Conditions.set(status, Conditions.STAGING_READY, false, lost ? "ClaimLost" : "ClaimsMissing", summary
                    + (lost ? "; a Lost claim's volume is gone: delete the claim and its pod to get a new one" : ""), gen);
            return false;
        }
        if (!mismatched.isEmpty()) {
            Conditions.set(status, Conditions.STAGING_READY, false, "ClaimSpecMismatch", "Existing claims "
                    + String.join(", ", mismatched) + " do not have the access mode " + storage.accessMode
                    + (storage.storageClassName == null ? "" : " and class " + storage.storageClassName)
                    + " the policy asks for; the access mode and class of a claim cannot change. Use a new GlanceImportStaging, "
                    + "or delete these claims with their pods (staged data on them is lost)", gen);
            return false;
        }
        if (!notExpandable.isEmpty()) {
            Conditions.set(status, Conditions.STAGING_READY, false, "ExpansionNotSupported", "Claims "
                    + String.join(", ", notExpandable) + " are smaller than " + storage.size
                    + " but their StorageClass does not allow volume expansion (allowVolumeExpansion); they keep their size,"
                    + " new claims get " + storage.size, gen);
            return false;
        }
        if (!larger.isEmpty()) {
            Conditions.set(status, Conditions.STAGING_READY, true, "ShrinkRefused", "Claims " + String.join(", ", larger)
                    + " are larger than " + storage.size + "; volumes cannot shrink, they keep their size", gen);
            return true;
        }
        if (!resizing.isEmpty()) {
            Conditions.set(status, Conditions.STAGING_READY, true, "Expanding", "Expanding " + String.join(", ", resizing)
                    + " (file system resize may wait for the pod to restart)", gen);
            return true;
        }
        Conditions.set(status, Conditions.STAGING_READY, true, "ClaimsPresent",
                summary + (phases.containsKey("Pending") ? " (a claim binds when its pod is scheduled)" : ""), gen);
        return true;
    }

    private static BigDecimal bytes(Quantity q) {
        return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
    }

    private static String phaseOf(PersistentVolumeClaim claim) {
        return claim.getStatus() == null || claim.getStatus().getPhase() == null ? "Pending" : claim.getStatus().getPhase();
    }

    private static String capacityOf(PersistentVolumeClaim claim) {
        Quantity q = claim.getStatus() != null && claim.getStatus().getCapacity() != null
                ? claim.getStatus().getCapacity().get("storage")
                : null;
        if (q == null && claim.getSpec().getResources() != null && claim.getSpec().getResources().getRequests() != null) {
            q = claim.getSpec().getResources().getRequests().get("storage");
        }
        return q == null ? null : q.toString();
    }
}
