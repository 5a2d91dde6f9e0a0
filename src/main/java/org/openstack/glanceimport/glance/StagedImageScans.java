package org.openstack.glanceimport.glance;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.config.ServiceCredentials;
import org.openstack.glanceimport.naming.Names;

/**
 * Asks Glance's database, per GlanceAPI, which images are staged on that GlanceAPI's pods; the reconciler decides which of
 * them are stranded. Glance cannot be watched, so this polls: every {@code interval} (default 5 minutes: a stranded image
 * is not an emergency, and each ask is a connection to a database that also serves every glance-api), and every
 * {@code retry-interval} while the database cannot be asked, and every {@code autoscaling.interval} (default 10 s) for a
 * GlanceAPI with spec.autoscaling, whose pods follow the load this finds. It runs on the polling event source's own threads,
 * never on a reconcile thread, and a changed answer triggers a reconcile.
 */
@ApplicationScoped
public class StagedImageScans implements PerResourcePollingEventSource.ResourceFetcher<StagedImageScans.Scan, GlanceAPI> {

    private static final Logger LOG = Logger.getLogger(StagedImageScans.class);

    /** Why a scan failed, when it did; the reconciler words it with the Secret's name. */
    public enum Failure {
        UNREACHABLE, CREDENTIALS_REJECTED,
        /** Refused in clear, taken over TLS: the database requires TLS and spec.databaseTLS is not set. */
        TLS_REQUIRED,
        /** With spec.databaseTLS: the certificate is not verified by its CA, or the server offers no TLS. */
        TLS_FAILED
    }

    /**
     * One answer: this GlanceAPI's staged images, or why there is none. {@code glanceStarted}: for each ordinal an import
     * runs on, when that pod's glance-api started (absent while it does not run). Read with the scan, so that a pod that
     * came back without its import changes the answer and so triggers a reconcile, whatever else happens.
     * {@code uploading}: uploads to a staging area in progress in the GlanceAPI's database, not yet on a known pod.
     */
    public record Scan(List<StagedImages.Staged> staged, int uploading, Map<Integer, Instant> glanceStarted,
            Failure failure, String detail) {
        static Scan failed(Failure failure, String detail) {
            return new Scan(List.of(), 0, Map.of(), failure, detail);
        }

        public boolean failed() {
            return failure != null;
        }
    }

    private final StagedImages stagedImages;
    private final KubernetesClient client;
    private final Duration interval;
    private final Duration retryInterval;
    private final Duration autoscalingInterval;
    /** The database each GlanceAPI last reconciled with good inputs; a GlanceAPI without one is not asked about. */
    private final Map<ResourceID, ServiceCredentials.Database> databases = new ConcurrentHashMap<>();
    private final Map<ResourceID, PodStarts> podStarts = new ConcurrentHashMap<>();
    /** The delay of each GlanceAPI's next scan, as last scheduled. */
    private final Map<ResourceID, Duration> scheduled = new ConcurrentHashMap<>();

    public StagedImageScans(StagedImages stagedImages, KubernetesClient client,
            @ConfigProperty(name = "glance-import.stranded-images.interval", defaultValue = "5m") Duration interval,
            @ConfigProperty(name = "glance-import.stranded-images.retry-interval", defaultValue = "1m") Duration retryInterval,
            @ConfigProperty(name = "glance-import.autoscaling.interval", defaultValue = "10s") Duration autoscalingInterval) {
        this.stagedImages = stagedImages;
        this.client = client;
        this.interval = interval;
        this.retryInterval = retryInterval;
        this.autoscalingInterval = autoscalingInterval;
    }

    public Duration interval() {
        return interval;
    }

    public Duration retryInterval() {
        return retryInterval;
    }

    /** Called by each reconcile with good inputs: from now on this GlanceAPI's database is asked. */
    public void use(GlanceAPI api, ServiceCredentials.Database db) {
        databases.put(ResourceID.fromResource(api), db);
    }

    public void retain(Set<ResourceID> live) {
        databases.keySet().retainAll(live);
        podStarts.keySet().retainAll(live);
        scheduled.keySet().retainAll(live);
    }

    @Override
    public Set<Scan> fetchResources(GlanceAPI api) {
        ServiceCredentials.Database db = databases.get(ResourceID.fromResource(api));
        if (db == null) {
            return Set.of();
        }
        try {
            StagedImages.Load load = stagedImages.load(db);
            List<StagedImages.Staged> own = load.staged().stream()
                    .filter(s -> Names.ordinalOfStageHost(api, s.stageHost()).isPresent()).toList();
            return Set.of(new Scan(own, load.uploading(), glanceStarted(api, own), null, null));
        } catch (SQLException e) {
            LOG.debugf("staged-image scan of %s failed: %s", ResourceID.fromResource(api), e.getClass().getSimpleName());
            return Set.of(failed(e, db));
        } catch (RuntimeException e) {
            // a throw here would end this GlanceAPI's polling for good (JOSDK schedules the next poll after a return)
            LOG.warnf("staged-image scan of %s failed: %s", ResourceID.fromResource(api), e.toString());
            return Set.of(Scan.failed(Failure.UNREACHABLE, e.getClass().getSimpleName()));
        }
    }

    private Scan failed(SQLException e, ServiceCredentials.Database db) {
        if (GlanceDatabase.credentialsRejected(e)) {
            return stagedImages.requiresTls(db) ? Scan.failed(Failure.TLS_REQUIRED, db.address())
                    : Scan.failed(Failure.CREDENTIALS_REJECTED, null);
        }
        if (db.tls() && (GlanceDatabase.tlsUnavailable(e) || GlanceDatabase.certificateRejected(e))) {
            return Scan.failed(Failure.TLS_FAILED, db.address() + (GlanceDatabase.tlsUnavailable(e) ? " offers no TLS"
                    : " presented a certificate its CA does not verify, or one that does not name " + db.host()));
        }
        return Scan.failed(Failure.UNREACHABLE, e.getClass().getSimpleName());
    }

    /**
     * The start of glance-api on the pods imports run on: one pod GET each. Autoscaling scans every few seconds, but an
     * interrupted import need not be found faster than without it: the answer is read again only after {@code interval},
     * or when imports run on another pod.
     */
    private Map<Integer, Instant> glanceStarted(GlanceAPI api, List<StagedImages.Staged> own) {
        Set<Integer> importing = new TreeSet<>();
        own.stream().filter(StagedImages.Staged::importing).forEach(s -> importing.add(Names.ordinalOfStageHost(api, s.stageHost()).getAsInt()));
        ResourceID id = ResourceID.fromResource(api);
        PodStarts last = podStarts.get(id);
        Instant now = Instant.now();
        if (last != null && last.ordinals().equals(importing) && last.readAt().plus(interval).isAfter(now)) {
            return last.started();
        }
        var startedAt = GlanceApiContainers.startedAt(client, api);
        Map<Integer, Instant> started = new TreeMap<>();
        importing.forEach(i -> startedAt.apply(i).ifPresent(t -> started.put(i, t)));
        PodStarts read = new PodStarts(Set.copyOf(importing), Map.copyOf(started), now);
        podStarts.put(id, read);
        return read.started();
    }

    private record PodStarts(Set<Integer> ordinals, Map<Integer, Instant> started, Instant readAt) {
    }

    @Override
    public Optional<Duration> fetchDelay(Set<Scan> last, GlanceAPI api) {
        Duration every = intervalFor(api);
        Duration delay;
        if (last == null || last.isEmpty()) {
            // first ask shortly after the first reconcile registered the database
            delay = Duration.ofSeconds(3).compareTo(every) < 0 ? Duration.ofSeconds(3) : every;
        } else {
            delay = last.iterator().next().failed() ? min(retryInterval, every) : every;
        }
        scheduled.put(ResourceID.fromResource(api), delay);
        return Optional.of(delay);
    }

    /**
     * Whether the next scan was scheduled further away than this GlanceAPI now wants: autoscaling was just switched on,
     * and the scan scheduled before would come only after the slow interval. Answers true once per such schedule.
     */
    public boolean scheduledTooLate(GlanceAPI api) {
        ResourceID id = ResourceID.fromResource(api);
        Duration delay = scheduled.get(id);
        return delay != null && delay.compareTo(intervalFor(api)) > 0 && scheduled.remove(id, delay);
    }

    /** A GlanceAPI that autoscales is asked often enough to follow a burst; the others rarely. */
    Duration intervalFor(GlanceAPI api) {
        return api.getSpec() != null && api.getSpec().autoscaling != null ? min(autoscalingInterval, interval) : interval;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }
}
