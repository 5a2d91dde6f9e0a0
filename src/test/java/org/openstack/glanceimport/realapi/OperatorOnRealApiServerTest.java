package org.openstack.glanceimport.realapi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.ApiServer;
import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.networks.PodNetworkAddresses;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.pod.NetworkAttachments;
import org.openstack.glanceimport.support.FieldOwners;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.glance.GlanceTables;
import org.openstack.glanceimport.support.kube.AuditLog;
import org.openstack.glanceimport.support.kube.Multus;
import org.openstack.glanceimport.support.kube.NodeStandIn;
import org.openstack.glanceimport.support.kube.RealApiServer;
import org.openstack.glanceimport.support.kube.RealApiServerProfile;
import static org.openstack.glanceimport.support.StatusConditions.get;
import static org.openstack.glanceimport.support.StatusConditions.isTrue;

/**
 * The reconcilers on a real kube-apiserver 1.26 with the real StatefulSet, Job and garbage-collector controllers
 * (RealApiServer), as the operator's ServiceAccount under the chart's RBAC, with server-side apply: what the mock
 * API server cannot show (it has no SSA, managedFields, defaulting, RBAC, nor controllers).
 */
@QuarkusTest
@TestProfile(RealApiServerProfile.class)
class OperatorOnRealApiServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final RealApiServer K8S = RealApiServer.shared();
    private final KubernetesClient admin = K8S.admin();

    /** minimal.yaml in a new namespace, its database one the operator reaches (H2 holding Glance's tables). */
    private GlanceTables apply(String ns, int replicas, int holdSeconds) throws Exception {
        return apply(ns, replicas, holdSeconds, api -> {
        });
    }

    /** The same, the GlanceAPI changed by {@code more} before it is created. */
    private GlanceTables apply(String ns, int replicas, int holdSeconds, Consumer<GlanceAPI> more) throws Exception {
        GlanceTables db = namespaceWithDatabase(ns);
        Samples.apply(admin, ns, "minimal.yaml", item -> true, item -> {
            if ("GlanceAPI".equals(item.getKind())) {
                GlanceAPI api = Samples.onSharedClaim(admin, ns, Serialization.unmarshal(Serialization.asJson(item), GlanceAPI.class));
                api.getSpec().replicas = replicas;
                api.getSpec().scaleDownHoldSeconds = holdSeconds;
                more.accept(api);
                return api;
            }
            return Samples.reachableDatabase(ns, database(ns)).apply(item);
        });
        return db;
    }

    private GlanceTables namespaceWithDatabase(String ns) throws Exception {
        K8S.createNamespace(ns);
        return GlanceTables.create(database(ns));
    }

    private static String database(String ns) {
        return "glance_" + ns.replace('-', '_');
    }

    private GlanceAPI api(String ns) {
        return api(ns, "glance");
    }

    private GlanceAPI api(String ns, String name) {
        return admin.resources(GlanceAPI.class).inNamespace(ns).withName(name).get();
    }

    private StatefulSet sts(String ns) {
        return admin.apps().statefulSets().inNamespace(ns).withName("glance").get();
    }

    private void patchSpec(String ns, String json) {
        admin.resources(GlanceAPI.class).inNamespace(ns).withName("glance").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":" + json + "}");
    }

    private Set<String> pods(String ns) {
        return admin.pods().inNamespace(ns).list().getItems().stream().filter(p -> p.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> "StatefulSet".equals(o.getKind()))).map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
    }

    /**
     * Create, scale to 3 with a claim each, a configuration change that the real StatefulSet controller rolls, a
     * scale-down held while an image is staged on the pod it would remove, and deletion, whose claims the policy
     * deletes. The pods are the StatefulSet controller's, the Job's outcome the Job controller's, and deletion's
     * cascade the garbage collector's.
     */
    @Test
    void coreFlowWithTheRealControllers() throws Exception {
        String ns = "flow";
        long start = K8S.audit().mark();
        try (NodeStandIn node = new NodeStandIn(admin, ns); GlanceTables db = apply(ns, 1, 300)) {
            await().atMost(TIMEOUT).until(() -> isTrue(api(ns), "Ready"));
            assertStatusWritesUsersCanRead(ns, start);
            Job dbSync = admin.batch().v1().jobs().inNamespace(ns).list().getItems().get(0);
            assertTrue(dbSync.getStatus().getConditions().stream().anyMatch(c -> "Complete".equals(c.getType())),
                    "the Job controller completed db-sync from its pod's outcome");
            assertEquals(Set.of("glance-0"), pods(ns), "the StatefulSet controller created the pod");

            patchSpec(ns, "{\"replicas\":3}");
            // the status, written after the StatefulSet in the same reconcile, not only the pods it brought
            await().atMost(TIMEOUT).until(() -> pods(ns).size() == 3 && isTrue(api(ns), "Ready") && api(ns).getStatus().readyReplicas == 3);
            assertEquals(3, api(ns).getStatus().stagingClaims.size());
            assertEquals(Set.of("staging-glance-0", "staging-glance-1", "staging-glance-2"),
                    admin.persistentVolumeClaims().inNamespace(ns).withLabelSelector(Names.MANAGED_BY_SELECTOR).list().getItems().stream().map(c -> c.getMetadata().getName())
                            .collect(Collectors.toSet()));

            String revision = sts(ns).getStatus().getUpdateRevision();
            String hash = sts(ns).getSpec().getTemplate().getMetadata().getAnnotations().get(Names.CONFIG_HASH_ANNOTATION);
            patchSpec(ns, "{\"workers\":2}");
            awaitRolled(ns, revision, 3);
            assertNotEquals(hash, sts(ns).getSpec().getTemplate().getMetadata().getAnnotations().get(Names.CONFIG_HASH_ANNOTATION));
            await().atMost(TIMEOUT).until(() -> isTrue(api(ns), "Ready"));

            db.staged("held-image", "uploading", Names.selfReferenceUrl(api(ns), 2), Instant.now());
            patchSpec(ns, "{\"replicas\":2}");
            await().atMost(TIMEOUT).until(() -> isTrue(api(ns), "ScaleDownBlocked"));
            assertEquals("ImagesStaged", get(api(ns), "ScaleDownBlocked").getReason());
            assertEquals(3, sts(ns).getSpec().getReplicas(), "the pod holding a staged image stays");
            assertEquals(3, pods(ns).size());
            db.delete("held-image");
            await().atMost(TIMEOUT).until(() -> sts(ns).getSpec().getReplicas() == 2 && pods(ns).size() == 2);

            admin.resources(GlanceAPI.class).inNamespace(ns).withName("glance").delete();
            await().atMost(TIMEOUT).until(() -> api(ns) == null && sts(ns) == null
                    && admin.persistentVolumeClaims().inNamespace(ns).withLabelSelector(Names.MANAGED_BY_SELECTOR).list().getItems().isEmpty());
            assertTrue(admin.configMaps().inNamespace(ns).withLabel("import.glance.openstack.org/glanceapi", "glance").list().getItems()
                    .isEmpty(), "the garbage collector deleted what the GlanceAPI owned");
        }
    }

    /**
     * The user's spec stays the user's: the operator's finalizer and status writes never make its field manager an
     * owner of a spec field (JOSDK 5.2 once force-applied a constructed resource, whose Java defaults overwrote the
     * user's values). And at steady state the operator writes nothing, for the smallest sample and for the production
     * one (TLS proxy, two Ceph stores, image cache and its CronJobs, database purge): the server's defaults and the
     * fields it drops (a 1.26 API server keeps no StatefulSet claim retention policy) must not read as a difference
     * that the operator applies again at every reconcile.
     */
    @Test
    void userSpecIsKeptAndSteadyStateWritesNothing() throws Exception {
        try (NodeStandIn steady = new NodeStandIn(admin, "steady"); GlanceTables db = apply("steady", 2, 45);
                NodeStandIn tls = new NodeStandIn(admin, "tls"); GlanceTables tlsDb = namespaceWithDatabase("tls")) {
            Samples.apply(admin, "tls", "minimal.yaml", item -> "Secret".equals(item.getKind()), Samples.reachableDatabase("tls", database("tls")));
            Samples.apply(admin, "tls", "ceph.yaml", item -> !"GlanceAPI".equals(item.getKind()));
            admin.resource(Samples.secret("tls", "glance-tls-cert", "tls.crt", Samples.tlsFile("wildcard.crt"), "tls.key",
                    Samples.tlsFile("wildcard.key"), "ca.crt", Samples.tlsFile("ca.crt"))).create();
            Samples.apply(admin, "tls", "production.yaml");
            await().atMost(TIMEOUT).until(() -> isTrue(api("steady"), "Ready") && isTrue(api("tls", "glance-tls"), "Ready"));

            GlanceAPI api = api("steady");
            assertEquals(2, api.getSpec().replicas);
            assertEquals(45, api.getSpec().scaleDownHoldSeconds, "not the Java default (600)");
            for (GlanceAPI each : List.of(api, api("tls", "glance-tls"))) {
                assertEquals(List.of(), FieldOwners.specOwnersOtherThanTheUser(each), "managers other than the user's own spec fields");
            }

            // the real controllers' status updates (pods, StatefulSets, Jobs) and the cache's own events wake reconciles
            // that must find nothing to do
            assertNoWritesFor(Duration.ofSeconds(8), "at steady state the operator writes nothing");

            // each server's pods, as the API server stores them, match what the operator renders
            for (ApiServer server : List.of(ApiServer.uwsgi, ApiServer.eventlet)) {
                String revision = sts("steady").getStatus().getUpdateRevision();
                patchSpec("steady", "{\"apiServer\":\"" + server + "\"}");
                awaitRolled("steady", revision, 2);
                await().atMost(TIMEOUT).until(() -> isTrue(api("steady"), "Ready"));
                assertEquals(server == ApiServer.uwsgi ? "uwsgi" : "glance-api",
                        sts("steady").getSpec().getTemplate().getSpec().getContainers().get(0).getCommand().get(0));
                assertNoWritesFor(Duration.ofSeconds(8), "at steady state on " + server + " the operator writes nothing");
            }

            // placement, probes and timeouts as given, stored as rendered: the server's defaults in them are no drift
            String revision = sts("steady").getStatus().getUpdateRevision();
            patchSpec("steady", "{\"apiTimeout\":1800,\"probes\":{\"liveness\":{\"timeoutSeconds\":20,\"failureThreshold\":6}},"
                    + "\"topologySpreadConstraints\":[{\"maxSkew\":1,\"topologyKey\":\"topology.kubernetes.io/zone\","
                    + "\"whenUnsatisfiable\":\"DoNotSchedule\"},{\"maxSkew\":2,\"topologyKey\":\"kubernetes.io/hostname\","
                    + "\"whenUnsatisfiable\":\"ScheduleAnyway\"}],\"affinity\":{\"nodeAffinity\":{"
                    + "\"preferredDuringSchedulingIgnoredDuringExecution\":[{\"weight\":50,\"preference\":{\"matchExpressions\":"
                    + "[{\"key\":\"node-role.kubernetes.io/storage\",\"operator\":\"Exists\"}]}}]}}}");
            awaitRolled("steady", revision, 2);
            var pod = sts("steady").getSpec().getTemplate().getSpec();
            assertEquals(List.of("topology.kubernetes.io/zone", "kubernetes.io/hostname"),
                    pod.getTopologySpreadConstraints().stream().map(c -> c.getTopologyKey()).toList());
            assertTrue(pod.getTopologySpreadConstraints().stream().allMatch(c -> Names.selectorLabels(api("steady"))
                    .equals(c.getLabelSelector().getMatchLabels())), "each given the pods' selector");
            assertEquals(50, pod.getAffinity().getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution().get(0).getWeight());
            assertEquals(1, pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution().size());
            assertEquals(20, pod.getContainers().get(0).getLivenessProbe().getTimeoutSeconds());
            assertEquals(6, pod.getContainers().get(0).getLivenessProbe().getFailureThreshold());
            assertEquals(List.of(), FieldOwners.specOwnersOtherThanTheUser(api("steady")), "the user's spec untouched");
            await().atMost(TIMEOUT).until(() -> isTrue(api("steady"), "Ready"));
            assertNoWritesFor(Duration.ofSeconds(8), "at steady state with placement and probes given the operator writes nothing");

            // settings from a Secret and files from a ConfigMap: stored as rendered, read-only mounts the server keeps as
            // given, and nothing written again at steady state
            admin.resource(Samples.secret("steady", "notifications", "notifications.conf",
                    "[oslo_messaging_notifications]\ndriver = log\n")).create();
            admin.resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("glance-policy")
                    .withNamespace("steady").endMetadata().addToData("publicize.yaml", "\"publicize_image\": \"role:member\"\n")
                    .build()).create();
            // and the database CA of spec.databaseTLS (the H2 stand-in takes any connection, TLS or not)
            admin.resource(Samples.secret("steady", "galera-ca", "ca.crt", Samples.tlsFile("ca.crt"))).create();
            revision = sts("steady").getStatus().getUpdateRevision();
            patchSpec("steady", "{\"customServiceConfigSecrets\":[\"notifications\"],\"extraMounts\":[{\"mountPath\":"
                    + "\"/etc/glance/policy.d\",\"configMapName\":\"glance-policy\"}],\"databaseTLS\":{\"caSecretName\":\"galera-ca\"}}");
            awaitRolled("steady", revision, 2);
            await().atMost(TIMEOUT).until(() -> isTrue(api("steady"), "Ready"));
            assertTrue(admin.secrets().inNamespace("steady").withName(Names.secret(api("steady"))).get().getData()
                    .containsKey("40-notifications.conf"));
            assertTrue(admin.secrets().inNamespace("steady").withName(Names.secret(api("steady"))).get().getData()
                    .containsKey("database-ca.crt"));
            assertTrue(sts("steady").getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts().stream()
                    .anyMatch(m -> "/etc/glance/policy.d".equals(m.getMountPath()) && Boolean.TRUE.equals(m.getReadOnly())));
            assertEquals(List.of(), FieldOwners.specOwnersOtherThanTheUser(api("steady")), "the user's spec untouched");
            assertNoWritesFor(Duration.ofSeconds(8), "at steady state with settings from Secrets, extra mounts and "
                    + "database TLS the operator writes nothing");
        }
    }

    /**
     * spec.service type LoadBalancer as the real API server stores it: it allocates the clusterIP, the nodePort and (for
     * externalTrafficPolicy Local) the healthCheckNodePort, which must not read as drift; a cloud controller (here the
     * test, through the status subresource) writes the load balancer's address, and status.endpoints.public follows.
     */
    @Test
    void aLoadBalancerServiceIsPublishedWithoutDrift() throws Exception {
        String ns = "lb";
        try (NodeStandIn node = new NodeStandIn(admin, ns); GlanceTables db = apply(ns, 1, 300)) {
            patchSpec(ns, "{\"service\":{\"type\":\"LoadBalancer\",\"externalTrafficPolicy\":\"Local\",\"annotations\":"
                    + "{\"metallb.universe.tf/address-pool\":\"openstack\"},\"labels\":{\"team\":\"images\"}}}");
            await().atMost(TIMEOUT).until(() -> isTrue(api(ns), "Ready") && "LoadBalancer".equals(service(ns).getSpec().getType()));
            Service svc = service(ns);
            assertEquals("Local", svc.getSpec().getExternalTrafficPolicy());
            assertEquals("openstack", svc.getMetadata().getAnnotations().get("metallb.universe.tf/address-pool"));
            assertEquals("images", svc.getMetadata().getLabels().get("team"));
            assertNotNull(svc.getSpec().getPorts().get(0).getNodePort(), "allocated by the API server");
            assertNotNull(svc.getSpec().getHealthCheckNodePort(), "allocated by the API server");
            await().atMost(TIMEOUT).until(() -> api(ns).getStatus().endpoints != null && api(ns).getStatus().endpoints.message != null
                    && api(ns).getStatus().endpoints.message.contains("waits for the load balancer"));
            assertNull(api(ns).getStatus().endpoints.publicUrl, "no address yet: no wrong answer");
            assertNoWritesFor(Duration.ofSeconds(8), "a LoadBalancer Service with allocated ports writes nothing at steady state");

            // as a cloud controller (or MetalLB) would
            admin.services().inNamespace(ns).withName("glance").editStatus(s -> new ServiceBuilder(s).withNewStatus().withNewLoadBalancer()
                    .addNewIngress().withIp("192.0.2.10").endIngress().endLoadBalancer().endStatus().build());
            await().atMost(TIMEOUT).until(() -> "http://192.0.2.10:9292".equals(api(ns).getStatus().endpoints.publicUrl));
            assertEquals("http://glance.lb.svc:9292", api(ns).getStatus().endpoints.internal);
            GlanceAPI api = api(ns);
            assertEquals("LoadBalancer", api.getSpec().service.type.name());
            assertEquals(Map.of("metallb.universe.tf/address-pool", "openstack"), api.getSpec().service.annotations);
            assertEquals(List.of(), FieldOwners.specOwnersOtherThanTheUser(api), "managers other than the user's own spec fields");
            assertNoWritesFor(Duration.ofSeconds(8), "with the load balancer's address written, the operator writes nothing more");

            // a Route asked of a cluster that serves none (this one): said once in the status, the rest keeps running
            patchSpec(ns, "{\"route\":{\"host\":\"glance.apps.example.com\"}}");
            await().atMost(TIMEOUT).until(() -> get(api(ns), Conditions.ROUTE_AVAILABLE) != null
                    && "RouteUnavailable".equals(get(api(ns), Conditions.ROUTE_AVAILABLE).getReason()));
            assertTrue(get(api(ns), Conditions.ROUTE_AVAILABLE).getMessage().contains("spec.route"),
                    get(api(ns), Conditions.ROUTE_AVAILABLE).getMessage());
            assertTrue(isTrue(api(ns), "Ready"));
            assertEquals("http://192.0.2.10:9292", api(ns).getStatus().endpoints.publicUrl);
            assertNoWritesFor(Duration.ofSeconds(8), "a Route the cluster cannot make is reported once, not again and again");
        }
    }

    private Service service(String ns) {
        return admin.services().inNamespace(ns).withName("glance").get();
    }

    /**
     * spec.networkAttachments with Multus's CRD installed and a NetworkAttachmentDefinition in another namespace: the real
     * StatefulSet controller creates the pod with the networks annotation, and this test then plays Multus, writing the
     * network-status annotation on the pod as Multus does once the pod's interfaces exist (there is no Multus here, nor a
     * kubelet: NodeStandIn). The pod's storage address reaches status.networkAddresses through the pods informer; then
     * the operator writes nothing, and the user's spec is the user's alone.
     */
    @Test
    void networkAttachmentsReachThePodsAndTheirAddressesTheStatus() throws Exception {
        String ns = "storage-net";
        String definitions = "storage-net-defs";
        admin.apiextensions().v1().customResourceDefinitions().resource(Multus.crd()).serverSideApply();
        admin.apiextensions().v1().customResourceDefinitions().withName(Multus.CRD_NAME).waitUntilCondition(crd -> crd != null
                && crd.getStatus() != null && crd.getStatus().getConditions() != null && crd.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())),
                TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        K8S.createNamespace(definitions);
        admin.resource(Multus.storageNetwork(definitions, "storage")).create();
        List<String> attachments = List.of(definitions + "/storage");
        try (NodeStandIn node = new NodeStandIn(admin, ns); GlanceTables db = apply(ns, 1, 45,
                api -> api.getSpec().networkAttachments = attachments)) {
            await().atMost(TIMEOUT).until(() -> pods(ns).equals(Set.of("glance-0")) && isTrue(api(ns), "Ready"));
            Pod pod = admin.pods().inNamespace(ns).withName("glance-0").get();
            assertEquals(definitions + "/storage", pod.getMetadata().getAnnotations().get(NetworkAttachments.NETWORKS_ANNOTATION),
                    "the StatefulSet controller copied the template's request for Multus onto the pod");

            String networkStatus = Multus.networkStatus(pod.getStatus().getPodIP() == null ? "10.128.0.12" : pod.getStatus().getPodIP(),
                    definitions + "/storage", "172.18.0.31");
            admin.pods().inNamespace(ns).withName("glance-0").patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(
                    Map.of("metadata", Map.of("annotations", Map.of(NetworkAttachments.NETWORK_STATUS_ANNOTATION, networkStatus)))));
            await().atMost(TIMEOUT).until(() -> api(ns).getStatus().networkAddresses != null
                    && !api(ns).getStatus().networkAddresses.isEmpty() && !api(ns).getStatus().networkAddresses.get(0).networks.isEmpty());
            PodNetworkAddresses addresses = api(ns).getStatus().networkAddresses.get(0);
            assertEquals("glance-0", addresses.pod);
            assertEquals(List.of(definitions + "/storage"), addresses.networks.stream().map(n -> n.name).toList(), "not the pod network");
            assertEquals(List.of("172.18.0.31"), addresses.networks.get(0).ips);
            assertEquals("net1", addresses.networks.get(0).interfaceName);

            assertNoWritesFor(Duration.ofSeconds(8), "with network attachments, at steady state the operator writes nothing");
            GlanceAPI api = api(ns);
            assertEquals(attachments, api.getSpec().networkAttachments);
            assertEquals(List.of(), FieldOwners.specOwnersOtherThanTheUser(api), "managers other than the user's own spec fields");
        }
    }

    /** Until the StatefulSet controller has rolled every pod onto a template newer than {@code revision}. */
    private void awaitRolled(String ns, String revision, int replicas) {
        await().atMost(TIMEOUT).until(() -> {
            var status = sts(ns).getStatus();
            return !revision.equals(status.getUpdateRevision()) && status.getUpdateRevision().equals(status.getCurrentRevision())
                    && Integer.valueOf(replicas).equals(status.getUpdatedReplicas());
        });
    }

    /**
     * The writes of a roll-out's statuses: the GlanceAPI's name the states a user waits through, none the StatefulSet
     * controller's next answer superseded at once (no pods yet, SupersededStatus); its policy's status is written for
     * the policy itself, never to list its consumers (that list rewrote the policy once per GlanceAPI).
     */
    private static void assertStatusWritesUsersCanRead(String ns, long since) {
        K8S.audit().awaitOperatorQuiet(Duration.ofSeconds(3));
        List<AuditLog.Request> statuses = K8S.audit().operatorWrites(since).stream()
                .filter(w -> ns.equals(w.namespace()) && "status".equals(w.subresource())).toList();
        List<String> states = statuses.stream().filter(w -> "glanceapis".equals(w.resource()))
                .map(w -> readyReason(w.body()) + "/" + w.body().path("status").path("replicas").asInt()).toList();
        assertTrue(states.contains("WaitingForDBSync/0"), states.toString());
        assertEquals("Ready/1", states.get(states.size() - 1), states.toString());
        assertTrue(states.stream().noneMatch("WaitingForPods/0"::equals), "a state the StatefulSet controller ended at once: " + states);
        List<com.fasterxml.jackson.databind.JsonNode> policies = statuses.stream().filter(w -> "glanceimportstagings".equals(w.resource()))
                .map(AuditLog.Request::body).toList();
        assertEquals(1, policies.size(), policies.toString());
        assertEquals(0, policies.get(0).path("status").path("consumers").size(), policies.toString());
    }

    private static String readyReason(com.fasterxml.jackson.databind.JsonNode body) {
        for (var condition : body.path("status").path("conditions")) {
            if ("Ready".equals(condition.path("type").asText())) {
                return condition.path("reason").asText();
            }
        }
        return "none";
    }

    /**
     * Once converged (the last writes of a roll-out, such as the last pod's readiness, are done;
     * a loop that writes every few seconds never gets there and fails after 5 minutes), no operator write for {@code quiet}.
     */
    private static void assertNoWritesFor(Duration quiet, String what) throws InterruptedException {
        K8S.audit().awaitOperatorQuiet(Duration.ofSeconds(3));
        long mark = K8S.audit().mark();
        Thread.sleep(quiet.toMillis());
        List<AuditLog.Request> writes = K8S.audit().operatorWrites(mark);
        assertEquals(Map.of(), AuditLog.byKind(writes), what + ": "
                + writes.stream().map(w -> w.kind() + " " + w.namespace() + "/" + w.name()).toList());
    }

    /**
     * spec.autoscaling through the real StatefulSet controller: a load in Glance's tables scales 1 to 3 pods with their
     * claims, the user's replicas stay the user's (no field manager of the operator owns a spec field), the load gone
     * scales back to 1, and then a scan every 10 s (the production interval) that finds nothing new writes nothing.
     */
    @Test
    void autoscalingFollowsTheLoadAndIsQuietWithoutOne() throws Exception {
        String ns = "autoscale";
        try (NodeStandIn node = new NodeStandIn(admin, ns); GlanceTables db = apply(ns, 1, 300)) {
            patchSpec(ns, "{\"autoscaling\":{\"minReplicas\":1,\"maxReplicas\":3,\"importsPerPod\":2,"
                    + "\"scaleDownStabilizationSeconds\":2}}");
            await().atMost(TIMEOUT).until(() -> isTrue(api(ns), "Ready") && api(ns).getStatus().autoscaling != null
                    && "AtMinimum".equals(api(ns).getStatus().autoscaling.reason));

            Instant now = Instant.now();
            db.uploadStarted("uploading-1", now);
            db.uploadStarted("uploading-2", now);
            for (int i = 0; i < 3; i++) {
                db.staged("staged-" + i, "uploading", Names.selfReferenceUrl(api(ns), 0), now, 1L << 20);
            }
            // the status, written after the StatefulSet in the same reconcile, not only the pods it brought
            await().atMost(TIMEOUT).until(() -> pods(ns).size() == 3 && isTrue(api(ns), "Ready") && api(ns).getStatus().readyReplicas == 3);
            GlanceAPI scaled = api(ns);
            assertEquals(3, scaled.getStatus().autoscaling.desiredReplicas);
            assertEquals(5, scaled.getStatus().autoscaling.importsInFlight);
            assertEquals(1, scaled.getSpec().replicas, "the user's replicas");
            assertEquals(List.of(), FieldOwners.specOwnersOtherThanTheUser(scaled), "managers other than the user's own spec fields");
            assertEquals(3, admin.persistentVolumeClaims().inNamespace(ns).withLabelSelector(Names.MANAGED_BY_SELECTOR).list().getItems().size());

            for (String id : List.of("uploading-1", "uploading-2", "staged-0", "staged-1", "staged-2")) {
                db.setStatus(id, "active");
            }
            await().atMost(TIMEOUT).until(() -> sts(ns).getSpec().getReplicas() == 1 && pods(ns).size() == 1 && isTrue(api(ns), "Ready"));

            // longer than a scan interval (10 s)
            assertNoWritesFor(Duration.ofSeconds(12), "an autoscaling scan that finds nothing new writes nothing");
        }
    }

    /** The chart's RBAC allows every request the operator sent in this class, as the server enforced it. */
    @AfterAll
    static void everyRequestWasAllowed() {
        List<AuditLog.Request> refused = K8S.audit().since(0, r -> RealApiServer.OPERATOR_USER.equals(r.user()) && r.code() == 403);
        assertEquals(List.of(), refused.stream().map(r -> r.verb() + " " + r.uri()).distinct().toList(),
                "requests the shipped RBAC refused");
        List<AuditLog.Request> specWrites = K8S.audit().since(0, r -> RealApiServer.OPERATOR_USER.equals(r.user()) && r.write()
                && "import.glance.openstack.org".equals(r.apiGroup()) && r.body() != null && r.body().has("spec"));
        assertEquals(List.of(), specWrites.stream().map(r -> r.kind() + " " + r.body()).toList(), "writes that carry a spec");
    }
}
