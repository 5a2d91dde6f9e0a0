package org.openstack.glanceimport.runtime;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.ShutdownEvent;
import org.jboss.logging.Logger;

/**
 * Lets several operator pods run for availability while only the holder of the Lease reconciles. The Lease lives in the
 * operator's own namespace (read from its service account); active in the prod profile (and in LeaderElectionTest).
 * <p>
 * JOSDK's own policy, exit on stop leading, calls System.exit from inside the shutdown hook when the operator stops,
 * which blocks SIGTERM until the kubelet kills the pod, and it never releases the Lease. Instead:
 * <ul>
 * <li>on shutdown, JOSDK stops leading only after its reconciles have finished; then the Lease is released (holder
 * emptied, as client-go does), so a standby takes over on its next retry instead of waiting out the lease;</li>
 * <li>a leader that loses the Lease while running (renewals failed for {@link #RENEW_DEADLINE}) exits at once. It gives
 * up {@code LEASE_DURATION - RENEW_DEADLINE} = 5 s before another pod may acquire the Lease, so two leaders never
 * reconcile at the same time.</li>
 * </ul>
 * The identity is the pod name plus a random suffix: two processes with one host name (or a restarted container) never
 * both believe they hold the Lease.
 */
@Singleton
// QOSDK looks it up programmatically; without this ArC drops it as unused and leader election silently stays off
@Unremovable
public class LeaderElection extends LeaderElectionConfiguration {

    public static final String LEASE = "glance-import-operator-lease";
    static final Duration LEASE_DURATION = LEASE_DURATION_DEFAULT_VALUE;
    static final Duration RENEW_DEADLINE = RENEW_DEADLINE_DEFAULT_VALUE;

    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    private final Handover handover;

    @Inject
    public LeaderElection(KubernetesClient client) {
        this(new Handover(client, identity(System.getenv("HOSTNAME"))));
    }

    private LeaderElection(Handover handover) {
        super(LEASE, null, LEASE_DURATION, RENEW_DEADLINE, RETRY_PERIOD_DEFAULT_VALUE, handover.identity,
                new LeaderCallbacks(() -> LOG.infof("Leading as %s", handover.identity), handover::stoppedLeading,
                        leader -> LOG.infof("Lease %s held by %s", LEASE, leader)),
                false);
        this.handover = handover;
    }

    static String identity(String hostname) {
        String host = hostname == null || hostname.isBlank() ? "glance-import-operator" : hostname;
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Before the operator stops (QOSDK stops it on ShutdownEvent at the default priority): stopping is not losing. */
    void onShutdown(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        handover.stopping.set(true);
    }

    static final class Handover {
        final String identity;
        final AtomicBoolean stopping = new AtomicBoolean();
        private final KubernetesClient client;

        Handover(KubernetesClient client, String identity) {
            this.client = client;
            this.identity = identity;
        }

        void stoppedLeading() {
            if (stopping.get()) {
                release();
                return;
            }
            LOG.errorf("Lost the Lease %s (renewals failed for %s); exiting so that only the new leader reconciles", LEASE,
                    RENEW_DEADLINE);
            // not from this thread: System.exit waits for the shutdown hooks, which stop the executor this thread is in
            Thread exit = new Thread(() -> System.exit(1), "lost-lease-exit");
            exit.start();
        }

        /** Empties the holder of a Lease this process still holds: reconciles have stopped by now. */
        void release() {
            String namespace = client.getNamespace();
            if (namespace == null) {
                return;
            }
            LeaseLock lock = new LeaseLock(namespace, LEASE, identity);
            try {
                LeaderElectionRecord current = lock.get(client);
                if (current == null || !identity.equals(current.getHolderIdentity())) {
                    return;
                }
                ZonedDateTime now = ZonedDateTime.now();
                lock.update(client, new LeaderElectionRecord("", Duration.ofSeconds(1), now, now, current.getLeaderTransitions()));
                LOG.infof("Released the Lease %s", LEASE);
            } catch (KubernetesClientException e) {
                // the standby then takes over when the lease expires, as after a crash
                LOG.warnf("Could not release the Lease %s: %s", LEASE, e.getMessage());
            }
        }
    }
}
