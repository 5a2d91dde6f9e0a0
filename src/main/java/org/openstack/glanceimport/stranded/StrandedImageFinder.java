package org.openstack.glanceimport.stranded;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.stranded.StrandedImage;
import org.openstack.glanceimport.api.stranded.StrandedImages;
import org.openstack.glanceimport.glance.StagedImages;
import org.openstack.glanceimport.naming.Names;

/**
 * Which of a GlanceAPI's staged images can never finish importing: those staged on an ordinal the StatefulSet no longer
 * runs, or on a pod whose staging claim is gone (deleted, being deleted, or Lost), and imports that were interrupted:
 * their pod is gone, or its glance-api started after the import last moved (Glance never resumes an import; its task
 * stays processing and holds the image's import lock). An image staged on a pod that runs, or will run again with its
 * claim, and an import whose glance-api still runs, are normal and never counted, whatever their age.
 */
public final class StrandedImageFinder {

    public static final String POD_REMOVED = "PodRemoved";
    static final String CLAIM_GONE = "ClaimGone";
    public static final String IMPORT_INTERRUPTED = "ImportInterrupted";
    /** Clocks of the database and the API server may differ a little: a claim this much younger is given the benefit. */
    static final Duration CLOCK_SLACK = Duration.ofMinutes(1);

    private StrandedImageFinder() {
    }

    /**
     * @param replicas the replicas the StatefulSet runs now (after any scale-down hold)
     * @param previous the status's list, so {@code since} survives from one reconcile to the next
     * @param settled images already deleted or found no longer staged since the scan was taken
     * @param glanceStarted when the glance-api container of an ordinal's pod started, empty while it does not run or
     *        cannot be told; asked only about pods with an import on them
     */
    static List<StrandedImage> find(GlanceAPI api, List<StagedImages.Staged> staged, int replicas,
            Function<String, PersistentVolumeClaim> claims, Function<Integer, Optional<Instant>> glanceStarted,
            List<StrandedImage> previous, Set<String> settled, Instant now) {
        Map<String, StrandedImage> before = previous == null ? Map.of()
                : previous.stream().collect(Collectors.toMap(s -> s.imageId, s -> s, (a, b) -> a));
        List<StrandedImage> found = new ArrayList<>();
        for (StagedImages.Staged s : staged) {
            OptionalInt ordinal = Names.ordinalOfStageHost(api, s.stageHost());
            if (ordinal.isEmpty() || settled.contains(s.imageId())) {
                continue;
            }
            int i = ordinal.getAsInt();
            String reason = i >= replicas ? (s.importing() ? IMPORT_INTERRUPTED : POD_REMOVED)
                    : claimGone(claims.apply(Names.stagingClaim(api, i)), s.updatedAt()) ? CLAIM_GONE
                    : s.importing() && restartedSince(glanceStarted.apply(i), s.lastActivity()) ? IMPORT_INTERRUPTED : null;
            if (reason == null) {
                continue;
            }
            StrandedImage old = before.get(s.imageId());
            String since = old != null && old.stageHost.equals(s.stageHost()) ? old.since : now.toString();
            found.add(new StrandedImage(s.imageId(), s.status(), s.stageHost(), reason, since));
        }
        return found;
    }

    /**
     * The glance-api that ran the import has exited since. No slack: the task's updated_at is written by the glance-api
     * of that pod and the container's start by the kubelet of its node, so both come from one clock.
     */
    private static boolean restartedSince(Optional<Instant> started, Instant lastActivity) {
        return started.isPresent() && lastActivity != null && started.get().isAfter(lastActivity);
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
    public static int ordinal(GlanceAPI api, StrandedImage image) {
        return Names.ordinalOfStageHost(api, image.stageHost).orElse(-1);
    }

    /** The pod a stranded image was staged on, for messages. */
    public static String pod(GlanceAPI api, StrandedImage image) {
        return Names.pod(api, ordinal(api, image));
    }

    /** When policy Delete may delete it. */
    public static Instant due(StrandedImages policy, StrandedImage image) {
        return Instant.parse(image.since).plusSeconds(policy.gracePeriodSeconds);
    }
}
