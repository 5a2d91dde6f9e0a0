package org.openstack.glanceimport.runtime;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.kube.AsUser;

/**
 * Leader election as in production (the prod profile turns it on; the other tests run unelected): JOSDK checks its
 * Lease access with a SelfSubjectRulesReview, answered from the chart's ClusterRoles, takes the Lease, renews it, and
 * reconciles only once it leads. The requests it sends are checked against the shipped RBAC by OperatorRequestsTest.
 */
@QuarkusTest
@TestProfile(LeaderElectionTest.Elected.class)
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
class LeaderElectionTest {

    public static class Elected implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.operator-sdk.activate-leader-election-for-profiles", "test");
        }
    }

    @Inject
    @AsUser
    KubernetesClient client;

    private Lease lease() {
        return client.leases().inNamespace(client.getNamespace()).withName(LeaderElection.LEASE).get();
    }

    @Inject
    io.quarkiverse.operatorsdk.runtime.QuarkusConfigurationService configuration;

    @Test
    void leadsRenewsAndReconciles() {
        // QOSDK looks the configuration bean up by hand: it must have survived ArC's removal of unused beans
        assertTrue(configuration.getLeaderElectionConfiguration().orElseThrow() instanceof LeaderElection);
        await().atMost(Duration.ofSeconds(30)).until(() -> lease() != null && lease().getSpec().getHolderIdentity() != null);
        Lease first = lease();
        String holder = first.getSpec().getHolderIdentity();
        // unique per process: the host name and a random suffix
        assertTrue(holder.matches(".+-[0-9a-f]{8}"), holder);
        assertEquals(LeaderElection.LEASE_DURATION.toSeconds(), first.getSpec().getLeaseDurationSeconds().longValue());

        // renewals (every retry period, 2 s) keep the same holder
        await().atMost(Duration.ofSeconds(15)).until(() -> !lease().getSpec().getRenewTime().equals(first.getSpec().getRenewTime()));
        assertEquals(holder, lease().getSpec().getHolderIdentity());
        assertNotEquals(first.getMetadata().getResourceVersion(), lease().getMetadata().getResourceVersion());

        // the leader reconciles
        Samples.apply(client, "elected", "minimal.yaml");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> client.apps().statefulSets().inNamespace("elected").withName("glance").get() != null);
    }
}
