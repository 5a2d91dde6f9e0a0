package org.openstack.glanceimport.stranded;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.stranded.StrandedImage;
import org.openstack.glanceimport.api.stranded.StrandedImagePolicy;
import org.openstack.glanceimport.api.stranded.StrandedImages;
import org.openstack.glanceimport.glance.ImageDeletion;
import org.openstack.glanceimport.glance.StagedImageScans;
import org.openstack.glanceimport.glance.StagedImages;
import org.openstack.glanceimport.inputs.GlanceApiInputs;
import org.openstack.glanceimport.naming.Names;

/**
 * Handles the latest staged-image scan: which images are stranded (new ones too), and with policy Delete, deletes those
 * whose grace period has passed, through a stand-in where Glance needs one at a gone stage host. Nothing is deleted on a
 * failed or missing scan. It reports what it found and did; the status writer tells it (status.strandedImages, the
 * ImagesStranded condition, Events).
 */
@ApplicationScoped
public class StrandedImageWatch {

    /** A stand-in pod starts within seconds; its readiness also triggers a reconcile (its informer). */
    static final Duration STAND_IN_RECHECK = Duration.ofSeconds(5);

    /** What one reconcile found and did. */
    public sealed interface Report {
    }

    /** No scan yet, or no StatefulSet: nothing can be told, the status keeps what it says. */
    public record NotYet() implements Report {
    }

    /** The scan failed: nothing is deleted. */
    public record ScanFailed(StagedImageScans.Failure failure, String detail, Duration retry) implements Report {
        public boolean credentialsRejected() {
            return failure == StagedImageScans.Failure.CREDENTIALS_REJECTED;
        }
    }

    /** {@code standIn}: the stand-in the delete went through, null when it went to the Service. */
    public record Deleted(StrandedImage image, String standIn) {
    }

    /** The first delete that failed this reconcile. */
    public record DeleteFailure(StrandedImage image, ImageDeletion result) {
    }

    /**
     * {@code found}: the stranded images now; {@code appeared}: those not in the status before; {@code waitingFor}: a
     * stand-in not answering yet; {@code replicas}: what the StatefulSet runs.
     */
    public record Found(List<StrandedImage> found, List<StrandedImage> appeared, List<Deleted> deleted, DeleteFailure failure,
            String waitingFor, int replicas, Duration retry) implements Report {
    }

    /** {@code recheck}: when to look again (a grace period ends, a delete to retry), empty when the next scan is soon enough. */
    public record Outcome(Report report, Optional<Duration> recheck) {
    }

    private final StrandedImageCleaner cleaner;
    private final StagedImageScans scans;
    /** Per GlanceAPI, images deleted (or found no longer staged) after the scan that still lists them was taken. */
    private final Map<ResourceID, Set<String>> settled = new ConcurrentHashMap<>();
    /** Per GlanceAPI, the removed ordinals a stand-in must answer for (ordinal to stage host), while their images go. */
    private final Map<ResourceID, Map<Integer, String>> standIns = new ConcurrentHashMap<>();

    public StrandedImageWatch(StrandedImageCleaner cleaner, StagedImageScans scans) {
        this.cleaner = cleaner;
        this.scans = scans;
    }

    /**
     * @param scan the polling event source's latest answer, empty before the first
     * @param replicas the replicas the StatefulSet runs, empty when it does not exist (nothing can be told then)
     */
    public Outcome handle(GlanceAPI api, Optional<StagedImageScans.Scan> scan, Optional<Integer> replicas,
            Function<String, PersistentVolumeClaim> claims, Function<String, Pod> pods, GlanceApiInputs.Result inputs) {
        if (scan.isEmpty() || replicas.isEmpty()) {
            return new Outcome(new NotYet(), Optional.empty());
        }
        if (scan.get().failed()) {
            return new Outcome(new ScanFailed(scan.get().failure(), scan.get().detail(),
                    scans.retryInterval()), Optional.empty());
        }
        ResourceID id = ResourceID.fromResource(api);
        List<StrandedImage> previous = api.getStatus() == null ? null : api.getStatus().strandedImages;
        Set<String> done = settled.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet());
        Set<String> listed = scan.get().staged().stream().map(StagedImages.Staged::imageId).collect(Collectors.toSet());
        done.retainAll(listed);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<StrandedImage> found = new ArrayList<>(StrandedImageFinder.find(api, scan.get().staged(), replicas.get(), claims,
                i -> Optional.ofNullable(scan.get().glanceStarted().get(i)), previous, done, now));
        Set<String> before = previous == null ? Set.of() : previous.stream().map(s -> s.imageId).collect(Collectors.toSet());
        List<StrandedImage> appeared = found.stream().filter(s -> !before.contains(s.imageId)).toList();
        StrandedImages policy = api.getSpec().strandedImagesOrDefault();

        Deletions deletions = new Deletions(api, done, now);
        if (policy.policy == StrandedImagePolicy.Delete && !found.isEmpty()) {
            deletions.deleteDue(found, policy, pods, inputs);
        }
        Optional<Duration> recheck = deletions.recheck;
        if (!deletions.standIns.equals(standIns.getOrDefault(id, Map.of()))) {
            standIns.put(id, Map.copyOf(deletions.standIns));
            // the workflow creates or deletes them: it runs again soon, not at the next scan
            recheck = earliest(recheck, STAND_IN_RECHECK);
        }
        return new Outcome(new Found(List.copyOf(found), appeared, deletions.deleted, deletions.failure, deletions.waitingFor,
                replicas.get(), scans.retryInterval()), recheck);
    }

    /** Policy Delete in one reconcile: the due images deleted, where needed through a stand-in, and what it takes. */
    private final class Deletions {
        private final GlanceAPI api;
        private final Set<String> done;
        private final Instant now;
        private final List<Deleted> deleted = new ArrayList<>();
        private final Map<Integer, String> standIns = new TreeMap<>();
        private DeleteFailure failure;
        private String waitingFor;
        private Optional<Duration> recheck = Optional.empty();

        private Deletions(GlanceAPI api, Set<String> done, Instant now) {
            this.api = api;
            this.done = done;
            this.now = now;
        }

        /** Removes from {@code found} what is gone now. */
        void deleteDue(List<StrandedImage> found, StrandedImages policy, Function<String, Pod> pods, GlanceApiInputs.Result inputs) {
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
                        deleted.add(new Deleted(s, at != null ? standInName : null));
                    }
                } else if (failure == null) {
                    failure = new DeleteFailure(s, result);
                    recheck = earliest(recheck, scans.retryInterval());
                }
            }
            // a stand-in per removed ordinal whose images are due and not deleted yet
            found.stream().filter(s -> needsStandIn(api, s) && !now.isBefore(StrandedImageFinder.due(policy, s)))
                    .forEach(s -> standIns.put(StrandedImageFinder.ordinal(api, s), s.stageHost));
        }
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

    private static Optional<Duration> earliest(Optional<Duration> a, Duration b) {
        return Optional.of(a.map(x -> x.compareTo(b) < 0 ? x : b).orElse(b));
    }
}
