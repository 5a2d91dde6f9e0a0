package org.openstack.glanceimport.controller;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.StrandedImage;
import org.openstack.glanceimport.dependent.Names;

/**
 * Which of a GlanceAPI's staged images can never finish importing: those staged on an ordinal the StatefulSet no longer
 * runs, or on a pod whose staging claim is gone (deleted, being deleted, or Lost). An image staged on a pod that runs,
 * or will run again with its claim, is normal and never counted, whatever its age.
 */
final class StrandedImageFinder {

    static final String POD_REMOVED = "PodRemoved";
    static final String CLAIM_GONE = "ClaimGone";
    /** Clocks of the database and the API server may differ a little: a claim this much younger is given the benefit. */
    static final java.time.Duration CLOCK_SLACK = java.time.Duration.ofMinutes(1);

    private StrandedImageFinder() {
    }

    /**
     * @param replicas the replicas the StatefulSet runs now (after any scale-down hold)
     * @param previous the status's list, so {@code since} survives from one reconcile to the next
     * @param settled images already deleted or found no longer staged since the scan was taken
     */
    static List<StrandedImage> find(GlanceAPI api, List<StagedImages.Staged> staged, int replicas,
            Function<String, PersistentVolumeClaim> claims, List<StrandedImage> previous, Set<String> settled, Instant now) {
        Map<String, StrandedImage> before = previous == null ? Map.of()
                : previous.stream().collect(Collectors.toMap(s -> s.imageId, s -> s, (a, b) -> a));
        List<StrandedImage> found = new ArrayList<>();
        for (StagedImages.Staged s : staged) {
            OptionalInt ordinal = Names.ordinalOfStageHost(api, s.stageHost());
            if (ordinal.isEmpty() || settled.contains(s.imageId())) {
                continue;
            }
            String reason = ordinal.getAsInt() >= replicas ? POD_REMOVED
                    : claimGone(claims.apply(Names.stagingClaim(api, ordinal.getAsInt())), s.updatedAt()) ? CLAIM_GONE : null;
            if (reason == null) {
                continue;
            }
            StrandedImage old = before.get(s.imageId());
            String since = old != null && old.stageHost.equals(s.stageHost()) ? old.since : now.toString();
            found.add(new StrandedImage(s.imageId(), s.status(), s.stageHost(), reason, since));
        }
        return found;
    }

    private static boolean claimGone(PersistentVolumeClaim claim, Instant imageUpdated) {
        if (claim == null || claim.getMetadata().getDeletionTimestamp() != null
                || (claim.getStatus() != null && "Lost".equals(claim.getStatus().getPhase()))) {
            return true;
        }
        String created = claim.getMetadata().getCreationTimestamp();
        return created != null && imageUpdated != null && Instant.parse(created).isAfter(imageUpdated.plus(CLOCK_SLACK));
    }

    /** The ordinal a stranded image was staged on (find() keeps only those that name one). */
    static int ordinal(GlanceAPI api, StrandedImage image) {
        return Names.ordinalOfStageHost(api, image.stageHost).orElse(-1);
    }

    /** The pod a stranded image was staged on, for messages. */
    static String pod(GlanceAPI api, StrandedImage image) {
        return Names.pod(api, ordinal(api, image));
    }

    /** When policy Delete may delete it. */
    static Instant due(org.openstack.glanceimport.api.StrandedImages policy, StrandedImage image) {
        return Instant.parse(image.since).plusSeconds(policy.gracePeriodSeconds);
    }
}
