package org.openstack.glanceimport.stranded;

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.glance.StagedImageScans;
import org.openstack.glanceimport.glance.StagedImages;
import org.openstack.glanceimport.inputs.GlanceApiInputs;
import org.openstack.glanceimport.status.EventRecorder;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPIStatus;
import org.openstack.glanceimport.api.stranded.StrandedImage;
import org.openstack.glanceimport.api.stranded.StrandedImagePolicy;
import org.openstack.glanceimport.api.stranded.StrandedImages;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.glance.ImageDeletion;

/**
 * Turns the latest staged-image scan into status.strandedImages, the ImagesStranded condition, a Warning Event per newly
 * stranded image and, with policy Delete, deletes once the grace period has passed. Nothing is deleted on a failed or
 * missing scan.
 */
@ApplicationScoped
public class StrandedImageWatch {

    private static final int LISTED_IN_MESSAGE = 5;
    /** A stand-in pod starts within seconds; its readiness also triggers a reconcile (its informer). */
    static final Duration STAND_IN_RECHECK = Duration.ofSeconds(5);

    private final EventRecorder events;
    private final StrandedImageCleaner cleaner;
    private final StagedImageScans scans;
    /** Per GlanceAPI, images deleted (or found no longer staged) after the scan that still lists them was taken. */
    private final Map<ResourceID, Set<String>> settled = new ConcurrentHashMap<>();
    /** Per GlanceAPI, the removed ordinals a stand-in must answer for (ordinal to stage host), while their images go. */
    private final Map<ResourceID, Map<Integer, String>> standIns = new ConcurrentHashMap<>();

    public StrandedImageWatch(EventRecorder events, StrandedImageCleaner cleaner, StagedImageScans scans) {
        this.events = events;
        this.cleaner = cleaner;
        this.scans = scans;
    }

    /**
     * @param scan the polling event source's latest answer, empty before the first
     * @param replicas the replicas the StatefulSet runs, empty when it does not exist (nothing can be told then)
     * @return when to look again (a grace period ends, a delete to retry), empty when the next scan is soon enough
     */
    public Optional<Duration> update(GlanceAPI api, GlanceAPIStatus status, Optional<StagedImageScans.Scan> scan, Optional<Integer> replicas,
            Function<String, PersistentVolumeClaim> claims, Function<String, Pod> pods, GlanceApiInputs.Result inputs) {
        if (scan.isEmpty() || replicas.isEmpty()) {
            return Optional.empty();
        }
        Long gen = api.getMetadata().getGeneration();
        ResourceID id = ResourceID.fromResource(api);
        if (scan.get().failed()) {
            String why = scan.get().failure() == StagedImageScans.Failure.CREDENTIALS_REJECTED
                    ? "the Glance database refused the credentials in Secret " + api.getSpec().databaseSecret + " (spec.databaseSecret)"
                    : "the Glance database could not be reached (" + scan.get().detail() + ")";
            String reason = scan.get().failure() == StagedImageScans.Failure.CREDENTIALS_REJECTED ? "DatabaseCredentialsRejected" : "CheckFailed";
            List<StrandedImage> known = status.strandedImages == null ? List.of() : status.strandedImages;
            String message = "Cannot tell which images are stranded: " + why + "; nothing is deleted; asking again every "
                    + seconds(scans.retryInterval()) + (known.isEmpty() ? "" : ". Last found stranded: " + list(api, known));
            if (Conditions.set(status, Conditions.IMAGES_STRANDED, known.isEmpty() ? "Unknown" : "True", reason, message, gen)
                    && reason.equals("DatabaseCredentialsRejected")) {
                events.warning(api, reason, message);
            }
            return Optional.empty();
        }

        Set<String> done = settled.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet());
        Set<String> listed = scan.get().staged().stream().map(StagedImages.Staged::imageId).collect(Collectors.toSet());
        done.retainAll(listed);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<StrandedImage> found = new ArrayList<>(StrandedImageFinder.find(api, scan.get().staged(), replicas.get(), claims,
                i -> Optional.ofNullable(scan.get().glanceStarted().get(i)), status.strandedImages, done, now));
        Set<String> before = status.strandedImages == null ? Set.of()
                : status.strandedImages.stream().map(s -> s.imageId).collect(Collectors.toSet());
        StrandedImages policy = api.getSpec().strandedImagesOrDefault();
        for (StrandedImage s : found) {
            if (!before.contains(s.imageId)) {
                if (StrandedImageFinder.IMPORT_INTERRUPTED.equals(s.reason)) {
                    events.warning(api, "ImportInterrupted", "The import of image " + s.imageId + " on pod " + StrandedImageFinder.pod(api, s)
                            + " was cut short: that glance-api " + (ordinalRemoved(api, s, replicas.get()) ? "is gone" : "was restarted")
                            + " after the import last moved, and Glance never resumes an import. " + advice(policy, s));
                } else {
                    events.warning(api, "ImageStranded", "Image " + s.imageId + " (" + s.status + ") was staged on pod "
                            + StrandedImageFinder.pod(api, s) + (StrandedImageFinder.POD_REMOVED.equals(s.reason)
                                    ? ", which the StatefulSet no longer runs" : ", whose staging claim is gone")
                            + ": it can never finish importing. " + advice(policy, s));
                }
            }
        }

        String deleteFailure = null;
        String deleteReason = null;
        String waitingFor = null;
        Optional<Duration> recheck = Optional.empty();
        Map<Integer, String> wantedStandIns = new java.util.TreeMap<>();
        if (policy.policy == StrandedImagePolicy.Delete && !found.isEmpty()) {
            StrandedImageCleaner.Session session = null;
            for (StrandedImage s : List.copyOf(found)) {
                Instant due = StrandedImageFinder.due(policy, s);
                if (now.isBefore(due)) {
                    recheck = earliest(recheck, Duration.between(now, due).plusSeconds(1));
                    continue;
                }
                URI at = null;
                String standInName = Names.stageHostStandIn(api, StrandedImageFinder.ordinal(api, s));
                if (needsStandIn(api, s)) {
                    // Glance forwards the delete to the stage host: someone must answer there (StageHostStandInsDependent)
                    Pod standIn = pods.apply(standInName);
                    at = standIn == null ? null : answering(standIn, api.getSpec().port);
                    if (at == null) {
                        waitingFor = standInName;
                        recheck = earliest(recheck, STAND_IN_RECHECK);
                        continue;
                    }
                }
                session = session != null ? session : cleaner.session(api, inputs);
                ImageDeletion result = session.delete(s, at);
                if (result.done()) {
                    found.remove(s);
                    done.add(s.imageId);
                    if (result.outcome() == ImageDeletion.Outcome.DELETED) {
                        events.normal(api, "StrandedImageDeleted", "Deleted image " + s.imageId + " (" + s.status + "), stranded on pod "
                                + StrandedImageFinder.pod(api, s) + " since " + s.since + " (spec.strandedImages.policy Delete, grace "
                                + policy.gracePeriodSeconds + "s)" + (at != null ? " through " + standInName + ", which answers at its stage host" : ""));
                    }
                } else if (deleteFailure == null) {
                    deleteReason = result.outcome() == ImageDeletion.Outcome.CREDENTIALS_REJECTED ? "KeystoneCredentialsRejected" : "DeleteFailed";
                    deleteFailure = result.outcome() == ImageDeletion.Outcome.CREDENTIALS_REJECTED
                            ? "the service user in Secret " + api.getSpec().keystoneSecret + " (spec.keystoneSecret) was refused: "
                                    + result.detail()
                            : "deleting " + s.imageId + " failed: " + result.detail() + (result.outcome() == ImageDeletion.Outcome.STAGE_HOST_GONE
                                    ? " (Glance forwards the delete of a staged image to its stage host, pod " + StrandedImageFinder.pod(api, s)
                                            + ", and fails while that host does not answer, instead of deleting it itself; "
                                            + "it succeeds once a pod answers there again)"
                                    : "");
                    recheck = earliest(recheck, scans.retryInterval());
                }
            }
            // a stand-in per removed ordinal whose images are due and not deleted yet
            found.stream().filter(s -> needsStandIn(api, s) && !now.isBefore(StrandedImageFinder.due(policy, s)))
                    .forEach(s -> wantedStandIns.put(StrandedImageFinder.ordinal(api, s), s.stageHost));
        }
        if (!wantedStandIns.equals(standIns.getOrDefault(id, Map.of()))) {
            standIns.put(id, Map.copyOf(wantedStandIns));
            // the workflow creates or deletes them: it runs again soon, not at the next scan
            recheck = earliest(recheck, STAND_IN_RECHECK);
        }

        status.strandedImages = found.isEmpty() ? null : found;
        if (found.isEmpty()) {
            // the condition appears with the first stranded image, and then stays to say it is over
            if (Conditions.get(status, Conditions.IMAGES_STRANDED).isPresent()) {
                Conditions.set(status, Conditions.IMAGES_STRANDED, false, "NoneStranded",
                        "No image is staged on a pod or claim that is gone", gen);
            }
            return recheck;
        }
        String message = found.size() + " image(s) can never finish importing (staged on pods or claims that are gone, "
                + "or their import was cut short): "
                + list(api, found) + (deleteFailure != null ? ". Not deleted: " + deleteFailure + "; retrying in "
                        + seconds(scans.retryInterval()) : waitingFor != null ? ". Deleting: waiting for pod " + waitingFor
                                + " to answer at the stage host (Glance forwards the delete of a staged image there)"
                                : ". " + (policy.policy == StrandedImagePolicy.Delete
                                ? "Each is deleted " + policy.gracePeriodSeconds + "s after it was found (spec.strandedImages.policy Delete)"
                                : "Delete them and upload again, or set spec.strandedImages.policy Delete"));
        String reason = deleteReason != null ? deleteReason : "ImagesStranded";
        if (Conditions.set(status, Conditions.IMAGES_STRANDED, true, reason, message, gen) && deleteFailure != null) {
            events.warning(api, reason, message);
        }
        return recheck;
    }

    public void retain(Set<ResourceID> live) {
        settled.keySet().retainAll(live);
        standIns.keySet().retainAll(live);
    }

    /** Ordinal to stage host: the stand-ins the workflow should run for this GlanceAPI now. */
    public Map<Integer, String> standInsWanted(GlanceAPI api) {
        return standIns.getOrDefault(ResourceID.fromResource(api), Map.of());
    }

    /**
     * A removed pod's stage host answers nowhere, so Glance cannot delete its images until a stand-in does. With tls the
     * stand-in would be reached by its IP, which its serving certificate does not name: not done (the delete is tried
     * through the Service, and the condition says why it fails). A gone claim's pod still answers: Glance deletes there.
     * An importing image has no stage host any more (the import removed it): any pod deletes it.
     */
    private static boolean needsStandIn(GlanceAPI api, StrandedImage s) {
        return StrandedImageFinder.POD_REMOVED.equals(s.reason) && !api.getSpec().tlsEnabled();
    }

    private static boolean ordinalRemoved(GlanceAPI api, StrandedImage s, int replicas) {
        return StrandedImageFinder.ordinal(api, s) >= replicas;
    }

    /** The stand-in's own address once it is Ready, else null. */
    private static URI answering(Pod pod, int port) {
        var st = pod.getStatus();
        boolean ready = st != null && st.getPodIP() != null && st.getConditions() != null
                && st.getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        if (!ready || pod.getMetadata().getDeletionTimestamp() != null) {
            return null;
        }
        String ip = st.getPodIP().contains(":") ? "[" + st.getPodIP() + "]" : st.getPodIP();
        return URI.create("http://" + ip + ":" + port);
    }

    private static String advice(StrandedImages policy, StrandedImage s) {
        if (StrandedImageFinder.IMPORT_INTERRUPTED.equals(s.reason)) {
            // the task keeps Glance's import lock for 60 minutes after its last update, and the conversion plugin has
            // removed the staged file once it wrote <id>.raw: a new import would be refused, then find no data
            return policy.policy == StrandedImagePolicy.Delete
                    ? "The operator deletes it at " + StrandedImageFinder.due(policy, s) + " (spec.strandedImages.policy Delete); "
                            + "then upload it again."
                    : "Delete it (openstack image delete " + s.imageId + ") and upload it again: Glance refuses a new import for "
                            + "60 minutes, and its staged data may be gone.";
        }
        return policy.policy == StrandedImagePolicy.Delete
                ? "The operator deletes it at " + StrandedImageFinder.due(policy, s)
                        + " (spec.strandedImages.policy Delete) unless the pod comes back with its claim."
                : "Delete it (openstack image delete " + s.imageId + ") and upload it again.";
    }

    private static String list(GlanceAPI api, List<StrandedImage> images) {
        String shown = images.stream().limit(LISTED_IN_MESSAGE)
                .map(s -> s.imageId + " (" + s.status + (StrandedImageFinder.IMPORT_INTERRUPTED.equals(s.reason) ? ", import interrupted" : "")
                        + ", was on " + StrandedImageFinder.pod(api, s) + " since " + s.since + ")")
                .collect(Collectors.joining(", "));
        return images.size() > LISTED_IN_MESSAGE ? shown + " and " + (images.size() - LISTED_IN_MESSAGE) + " more (status.strandedImages)"
                : shown;
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + "s";
    }

    private static Optional<Duration> earliest(Optional<Duration> a, Duration b) {
        return Optional.of(a.map(x -> x.compareTo(b) < 0 ? x : b).orElse(b));
    }
}
