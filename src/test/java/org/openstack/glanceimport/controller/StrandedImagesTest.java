package org.openstack.glanceimport.controller;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.stranded.StrandedImage;
import org.openstack.glanceimport.api.stranded.StrandedImages;
import org.openstack.glanceimport.monitoring.OperatorMetrics;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.StatusConditions;
import org.openstack.glanceimport.support.glance.FakeOpenStack;
import org.openstack.glanceimport.support.glance.GlanceTables;
import org.openstack.glanceimport.support.glance.H2GlanceDatabase;
import org.openstack.glanceimport.support.kube.AsUser;

/**
 * Images staged on pods that are gone, found in Glance's tables (H2 here, MariaDB in make e2e), reported, and deleted
 * through the Keystone and Glance calls the operator makes (answered by {@link FakeOpenStack}, which records them as
 * sent). Scans every second here, as the profile says; production scans every 5 minutes.
 */
@QuarkusTest
@TestProfile(StrandedImagesTest.FastScans.class)
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
class StrandedImagesTest {

    static final int GLANCE_PORT = 18293;
    static final String STAND_IN_IP = "127.0.0.2";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Map<String, GlanceTables> DATABASES = new ConcurrentHashMap<>();
    private static final Map<String, GlanceTables> BY_IMAGE = new ConcurrentHashMap<>();
    private static FakeOpenStack openStack;

    public static class FastScans implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("glance-import.stranded-images.interval", "1s", "glance-import.stranded-images.retry-interval", "1s",
                    "glance-import.stranded-images.glance-url", "http://127.0.0.1:" + GLANCE_PORT);
        }
    }

    @Inject
    @AsUser
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    @BeforeAll
    static void startOpenStack() throws Exception {
        openStack = new FakeOpenStack(GLANCE_PORT, BY_IMAGE::get);
        openStack.start();
    }

    @AfterAll
    static void stopOpenStack() {
        openStack.stop();
    }

    @Test
    void onlyImagesWhosePodOrClaimIsGoneAreReported() throws Exception {
        String ns = "report";
        GlanceTables db = setUp(ns, "{}", 3);
        Instant now = Instant.now();
        db.staged("r-live-0", "uploading", stageHost(ns, 0), now);
        db.staged("r-removed-2", "uploading", stageHost(ns, 2), now);
        db.staged("r-lost-1", "importing", stageHost(ns, 1), now);
        // another GlanceAPI sharing the database, and an image whose import finished: neither is this GlanceAPI's concern
        db.staged("r-other-api", "uploading", "http://glance-internal-2.glance-internal-headless." + ns + ".svc:9292", now);
        db.staged("r-imported", "active", stageHost(ns, 2), now);
        BY_IMAGE.put("r-live-0", db);

        await().during(Duration.ofSeconds(2)).atMost(TIMEOUT).until(() -> api(ns).getStatus().strandedImages == null);
        assertTrue(condition(ns).isEmpty(), "no condition before anything is stranded");

        scale(ns, 2);
        await().atMost(TIMEOUT).until(() -> ids(ns).equals(Set.of("r-removed-2")));
        StrandedImage removed = api(ns).getStatus().strandedImages.get(0);
        assertEquals("uploading", removed.status);
        assertEquals(stageHost(ns, 2), removed.stageHost);
        assertEquals("PodRemoved", removed.reason);
        assertTrue(Duration.between(Instant.parse(removed.since), Instant.now()).abs().toSeconds() < 30, removed.since);

        client.persistentVolumeClaims().inNamespace(ns).withName("staging-glance-1").editStatus(
                c -> { c.setStatus(new PersistentVolumeClaimStatusBuilder().withPhase("Lost").build()); return c; });
        await().atMost(TIMEOUT).until(() -> ids(ns).equals(Set.of("r-removed-2", "r-lost-1")));
        assertEquals("ClaimGone", api(ns).getStatus().strandedImages.stream().filter(s -> s.imageId.equals("r-lost-1"))
                .findFirst().orElseThrow().reason);
        Condition stranded = condition(ns).orElseThrow();
        assertEquals("True", stranded.getStatus());
        assertEquals("ImagesStranded", stranded.getReason());
        assertTrue(stranded.getMessage().startsWith("2 image(s) can never finish importing (staged on pods or claims that are gone"), stranded.getMessage());
        assertTrue(stranded.getMessage().contains("r-removed-2 (uploading, was on glance-2") && stranded.getMessage().contains("r-lost-1 (importing, was on glance-1"),
                stranded.getMessage());
        assertEquals(Map.of("r-removed-2", 1L, "r-lost-1", 1L), strandedEvents(ns), "one Event per stranded image");
        assertTrue(events(ns, "ImageStranded").get(0).getMessage().contains("openstack image delete"), "says what to do");
        await().atMost(TIMEOUT).until(() -> gauge(ns) == 2.0);

        // pod 2 comes back with its retained claim: its image can be r-imported again, so it is not stranded any more
        scale(ns, 3);
        await().atMost(TIMEOUT).until(() -> ids(ns).equals(Set.of("r-lost-1")));
        db.setStatus("r-lost-1", "active");
        await().atMost(TIMEOUT).until(() -> api(ns).getStatus().strandedImages == null);
        assertEquals("NoneStranded", condition(ns).orElseThrow().getReason());
        assertEquals("False", condition(ns).orElseThrow().getStatus());
        await().atMost(TIMEOUT).until(() -> gauge(ns) == 0.0);
        assertTrue(openStack.deletes().stream().noneMatch(r -> r.path().startsWith("/v2/images/r-")), "policy Report deletes nothing");
        assertEquals("uploading", db.status("r-live-0"));
    }

    @Test
    void deletePolicyDeletesThroughGlanceAfterTheGracePeriodAndNeverTouchesLivePods() throws Exception {
        String ns = "delete";
        GlanceTables db = setUp(ns, "{\"policy\":\"Delete\",\"gracePeriodSeconds\":4}", 3);
        db.staged("d-live-0", "uploading", stageHost(ns, 0), Instant.now());
        db.staged("d-removed-2", "uploading", stageHost(ns, 2), Instant.now());
        BY_IMAGE.put("d-live-0", db);
        BY_IMAGE.put("d-removed-2", db);

        scale(ns, 2);
        await().atMost(TIMEOUT).until(() -> ids(ns).equals(Set.of("d-removed-2")));
        Instant since = Instant.parse(api(ns).getStatus().strandedImages.get(0).since);
        assertTrue(condition(ns).orElseThrow().getMessage().contains("Each is deleted 4s after it was found"), condition(ns).get().getMessage());
        assertTrue(events(ns, "ImageStranded").get(0).getMessage().contains("The operator deletes it at " + since.plusSeconds(4)),
                events(ns, "ImageStranded").get(0).getMessage());
        assertEquals("uploading", db.status("d-removed-2"), "not before the grace period");

        // after the grace period: a pod that answers at pod 2's stage host, since Glance forwards the delete there
        Pod standIn = standInReady(ns, 2);
        assertTrue(!Instant.now().isBefore(since.plusSeconds(4)), "no stand-in before the grace period");
        var env = standIn.getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("OS_DEFAULT__WORKER_SELF_REFERENCE_URL")).toList();
        assertEquals(1, env.size());
        assertEquals(stageHost(ns, 2), env.get(0).getValue());
        assertTrue(standIn.getSpec().getVolumes().stream().anyMatch(v -> v.getName().equals("staging") && v.getEmptyDir() != null),
                "an empty staging directory: it holds nobody's data");
        Map<String, String> selector = client.services().inNamespace(ns).withName("glance").get().getSpec().getSelector();
        assertTrue(!standIn.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()), "never behind the Service");
        assertEquals("GlanceAPI", standIn.getMetadata().getOwnerReferences().get(0).getKind());

        await().atMost(TIMEOUT).until(() -> "deleted".equals(db.status("d-removed-2")));
        List<FakeOpenStack.Request> deletes = openStack.deletes().stream().filter(r -> r.path().contains("d-removed-2")).toList();
        assertEquals(1, deletes.size());
        FakeOpenStack.Request delete = deletes.get(0);
        assertEquals("/v2/images/d-removed-2", delete.path());
        assertEquals(STAND_IN_IP + ":" + GLANCE_PORT, delete.header("Host"), "sent to the stand-in, not the Service");
        assertTrue(!delete.at().isBefore(since.plusSeconds(4)), "deleted at " + delete.at() + ", stranded since " + since);
        FakeOpenStack.Request token = openStack.requests().stream().filter(r -> r.path().equals("/v3/auth/tokens")
                && r.at().isBefore(delete.at().plusMillis(1))).reduce((a, b) -> b).orElseThrow();
        JsonNode auth = new ObjectMapper().readTree(token.body()).path("auth");
        assertEquals("password", auth.path("identity").path("methods").get(0).asText());
        assertEquals("glance", auth.path("identity").path("password").path("user").path("name").asText());
        assertEquals("Default", auth.path("identity").path("password").path("user").path("domain").path("name").asText());
        assertEquals("service", auth.path("scope").path("project").path("name").asText());
        assertEquals(FakeOpenStack.TOKEN, delete.header("X-Auth-Token"));

        await().atMost(TIMEOUT).until(() -> api(ns).getStatus().strandedImages == null);
        assertEquals("NoneStranded", condition(ns).orElseThrow().getReason());
        assertTrue(events(ns, "StrandedImageDeleted").get(0).getMessage().startsWith("Deleted image d-removed-2 (uploading), stranded on pod glance-2"),
                events(ns, "StrandedImageDeleted").get(0).getMessage());
        assertEquals("uploading", db.status("d-live-0"), "an image staged on a live pod is never touched");
        await().atMost(TIMEOUT).until(() -> client.pods().inNamespace(ns).withName("glance-stage-host-2").get() == null);
        assertTrue(openStack.deletes().stream().noneMatch(r -> r.path().contains("d-live-0")));
        // the scan that still listed it, and later ones, bring it back neither into the status nor into another delete
        await().during(Duration.ofSeconds(3)).atMost(TIMEOUT).until(() -> api(ns).getStatus().strandedImages == null);
        assertEquals(1, openStack.deletes().stream().filter(r -> r.path().contains("d-removed-2")).count());
    }

    @Test
    void nothingIsDeletedWhileGlanceOrItsDatabaseCannotBeReached() throws Exception {
        String ns = "faults";
        GlanceTables db = setUp(ns, "{\"policy\":\"Delete\",\"gracePeriodSeconds\":0}", 3);
        staged(db, ns, "f-removed-2", 2);
        openStack.stop();
        try {
            scale(ns, 2);
            standInReady(ns, 2);
            await().atMost(TIMEOUT).until(() -> condition(ns).map(c -> "DeleteFailed".equals(c.getReason())).orElse(false));
            Condition failed = condition(ns).orElseThrow();
            assertEquals("True", failed.getStatus());
            assertTrue(failed.getMessage().contains("Not deleted: deleting f-removed-2 failed: ConnectException"), failed.getMessage());
            assertEquals(1, events(ns, "DeleteFailed").size(), "one Warning when it starts failing, not one per retry");

            // the database refuses the credentials: nothing can be confirmed, so nothing is deleted even once Glance is back
            patchSecret(ns, "glance-db", "password", "wrong");
            await().atMost(TIMEOUT).until(() -> condition(ns).map(c -> "DatabaseCredentialsRejected".equals(c.getReason())).orElse(false));
            Condition rejected = condition(ns).orElseThrow();
            assertEquals("True", rejected.getStatus(), "what was found stranded stays reported");
            assertTrue(rejected.getMessage().contains("the Glance database refused the credentials in Secret glance-db (spec.databaseSecret)"),
                    rejected.getMessage());
            assertTrue(rejected.getMessage().contains("nothing is deleted"), rejected.getMessage());
            assertEquals(Set.of("f-removed-2"), ids(ns));
            assertTrue(events(ns, "DatabaseCredentialsRejected").get(0).getMessage().contains("glance-db"));
            assertTrue(!rejected.getMessage().contains(GlanceTables.PASSWORD) && !rejected.getMessage().contains("wrong"), "no secret in the status");
        } finally {
            openStack.start();
        }
        await().during(Duration.ofSeconds(3)).atMost(TIMEOUT).until(() -> openStack.deletes().stream().noneMatch(r -> r.path().contains("f-removed-2")));
        assertEquals("uploading", db.status("f-removed-2"));

        patchSecret(ns, "glance-db", "password", GlanceTables.PASSWORD);
        await().atMost(TIMEOUT).until(() -> "deleted".equals(db.status("f-removed-2")));
        await().atMost(TIMEOUT).until(() -> condition(ns).map(c -> "NoneStranded".equals(c.getReason())).orElse(false));
    }

    @Test
    void keystoneRefusingTheServiceUserNamesItsSecret() throws Exception {
        String ns = "keystone";
        GlanceTables db = setUp(ns, "{\"policy\":\"Delete\",\"gracePeriodSeconds\":0}", 2);
        staged(db, ns, "k-removed-1", 1);
        patchSecret(ns, "glance-keystone", "password", "not-the-password");
        scale(ns, 1);
        standInReady(ns, 1);
        await().atMost(TIMEOUT).until(() -> condition(ns).map(c -> "KeystoneCredentialsRejected".equals(c.getReason())).orElse(false));
        Condition c = condition(ns).orElseThrow();
        assertTrue(c.getMessage().contains("the service user in Secret glance-keystone (spec.keystoneSecret) was refused"), c.getMessage());
        assertTrue(!c.getMessage().contains("not-the-password"));
        assertEquals("uploading", db.status("k-removed-1"));
        assertTrue(openStack.deletes().stream().noneMatch(r -> r.path().contains("k-removed-1")));
    }

    @Test
    void anUnreachableDatabaseIsSaidAndNothingIsGuessed() {
        String ns = "unreachable";
        // the sample as shipped: its database host does not resolve here
        Samples.apply(client, ns, "minimal.yaml");
        await().atMost(TIMEOUT).until(() -> condition(ns).isPresent());
        Condition c = condition(ns).orElseThrow();
        assertEquals("Unknown", c.getStatus());
        assertEquals("CheckFailed", c.getReason());
        assertTrue(c.getMessage().startsWith("Cannot tell which images are stranded: the Glance database could not be reached"), c.getMessage());
        assertTrue(c.getMessage().contains("asking again every 1s"), c.getMessage());
        assertNull(api(ns).getStatus().strandedImages);
    }

    /** minimal.yaml with its Secrets pointing at this test's database and Keystone, hold 0, the given strandedImages. */
    private GlanceTables setUp(String ns, String strandedImages, int replicas) throws Exception {
        GlanceTables db = GlanceTables.create("glance_" + ns);
        DATABASES.put(ns, db);
        Samples.apply(client, ns, "minimal.yaml", item -> true, item -> {
            if (item instanceof Secret s && s.getMetadata().getName().equals("glance-db")) {
                s.getStringData().putAll(Map.of("host", ns + H2GlanceDatabase.HOST_SUFFIX, "database", "glance_" + ns,
                        "username", GlanceTables.USER, "password", GlanceTables.PASSWORD));
            } else if (item instanceof Secret s) {
                s.getStringData().putAll(Map.of("auth_url", openStack.url() + "/v3", "username", FakeOpenStack.SERVICE_USER,
                        "password", FakeOpenStack.SERVICE_PASSWORD));
            } else if ("GlanceAPI".equals(item.getKind())) {
                // the client loads custom resources as generic ones
                GlanceAPI api = Serialization.unmarshal(
                        Serialization.asJson(item), GlanceAPI.class);
                Samples.onSharedClaim(client, ns, api);
                api.getSpec().replicas = replicas;
                api.getSpec().scaleDownHoldSeconds = 0;
                // stand-in pods are reached at their IP and the GlanceAPI's port: FakeOpenStack's
                api.getSpec().port = GLANCE_PORT;
                try {
                    api.getSpec().strandedImages = new ObjectMapper().readValue(strandedImages, StrandedImages.class);
                } catch (IOException e) {
                    throw new IllegalArgumentException(e);
                }
                return api;
            }
            return item;
        });
        await().atMost(TIMEOUT).until(() -> sts(ns) == replicas);
        return db;
    }

    @Test
    void anImportCutShortIsReportedAndDeletedByPolicyAndARunningOneHoldsTheScaleDown() throws Exception {
        String ns = "interrupted";
        GlanceTables db = setUp(ns, "{\"policy\":\"Delete\",\"gracePeriodSeconds\":3}", 3);
        Instant lastMoved = Instant.now().minusSeconds(60);
        // the kubelet's part: pod 0's glance-api runs since before the import; pod 1's was restarted after it last moved
        glanceApiStarted(ns, 0, lastMoved.minusSeconds(3600));
        glanceApiStarted(ns, 1, lastMoved.plusSeconds(30));
        for (String[] image : new String[][] { { "i-running-0", "0" }, { "i-cut-1", "1" } }) {
            db.staged(image[0], "uploading", stageHost(ns, Integer.parseInt(image[1])), lastMoved.minusSeconds(30));
            db.importStarted(image[0], "processing", lastMoved);
            BY_IMAGE.put(image[0], db);
        }

        await().atMost(TIMEOUT).until(() -> ids(ns).contains("i-cut-1") || events(ns, "ImportInterrupted").size() > 0);
        Event event = events(ns, "ImportInterrupted").get(0);
        assertTrue(event.getMessage().startsWith("The import of image i-cut-1 on pod glance-1 was cut short: that glance-api was "
                + "restarted after the import last moved"), event.getMessage());
        assertTrue(event.getMessage().contains("then upload it again"), event.getMessage());
        await().atMost(TIMEOUT).until(() -> "deleted".equals(db.status("i-cut-1")));
        FakeOpenStack.Request delete = openStack.deletes().stream().filter(r -> r.path().equals("/v2/images/i-cut-1")).findFirst().orElseThrow();
        assertEquals("127.0.0.1:" + GLANCE_PORT, delete.header("Host"),
                "an importing image has no stage host left: any pod deletes it, no stand-in is needed");
        assertNull(client.pods().inNamespace(ns).withName("glance-stage-host-1").get());
        assertEquals(1, events(ns, "ImportInterrupted").size());
        assertEquals("importing", db.status("i-running-0"), "an import whose glance-api still runs is left alone");
        assertTrue(openStack.deletes().stream().noneMatch(r -> r.path().contains("i-running-0")));

        // an import running on pod 2 holds a scale-down that would remove pod 2
        db.staged("i-running-2", "uploading", stageHost(ns, 2), Instant.now());
        db.importStarted("i-running-2", "processing", Instant.now());
        client.resources(GlanceAPI.class).inNamespace(ns).withName("glance")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":2,\"scaleDownHoldSeconds\":600}}");
        await().atMost(TIMEOUT).until(() -> api(ns).getStatus().conditions.stream()
                .anyMatch(c -> c.getType().equals("ScaleDownBlocked") && c.getStatus().equals("True")));
        Condition held = StatusConditions.get(api(ns), Conditions.SCALE_DOWN_BLOCKED);
        assertTrue(held.getMessage().contains("i-running-2 (importing) on glance-2"), held.getMessage());
        assertEquals(3, sts(ns));
        db.setStatus("i-running-2", "active");
        await().atMost(TIMEOUT).until(() -> sts(ns) == 2);
    }

    /** The kubelet's part: pod {@code ordinal} runs, its glance-api container started at {@code at}. */
    private void glanceApiStarted(String ns, int ordinal, Instant at) {
        String name = "glance-" + ordinal;
        client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(name)
                .endMetadata().withNewSpec().addNewContainer().withName("glance-api").withImage("glance").endContainer().endSpec().build())
                .create();
        client.pods().inNamespace(ns).withName(name).editStatus(p -> {
            p.setStatus(new PodStatusBuilder().withPhase("Running").addNewContainerStatus()
                    .withName("glance-api").withNewState().withNewRunning().withStartedAt(at.toString()).endRunning().endState()
                    .endContainerStatus().build());
            return p;
        });
    }

    /** The kubelet's part: the stand-in the operator created runs, at {@link #STAND_IN_IP}, and is Ready. */
    private Pod standInReady(String ns, int ordinal) {
        String name = "glance-stage-host-" + ordinal;
        await().atMost(TIMEOUT).until(() -> client.pods().inNamespace(ns).withName(name).get() != null);
        return client.pods().inNamespace(ns).withName(name).editStatus(p -> {
            p.setStatus(new PodStatusBuilder().withPodIP(STAND_IN_IP).withPhase("Running")
                    .addNewCondition().withType("Ready").withStatus("True").endCondition().build());
            return p;
        });
    }

    /** An image staged now on pod {@code ordinal}, which FakeOpenStack can delete. */
    private void staged(GlanceTables db, String ns, String id, int ordinal) throws SQLException {
        db.staged(id, "uploading", stageHost(ns, ordinal), Instant.now());
        BY_IMAGE.put(id, db);
    }

    private String stageHost(String ns, int ordinal) {
        return Names.selfReferenceUrl(api(ns), ordinal);
    }

    private void scale(String ns, int replicas) {
        client.resources(GlanceAPI.class).inNamespace(ns).withName("glance")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + replicas + "}}");
        await().atMost(TIMEOUT).until(() -> sts(ns) == replicas);
    }

    private void patchSecret(String ns, String name, String key, String value) {
        client.secrets().inNamespace(ns).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"stringData\":{\"" + key + "\":\"" + value + "\"}}");
    }

    private int sts(String ns) {
        var sts = client.apps().statefulSets().inNamespace(ns).withName("glance").get();
        return sts == null ? -1 : sts.getSpec().getReplicas();
    }

    private GlanceAPI api(String ns) {
        return client.resources(GlanceAPI.class).inNamespace(ns).withName("glance").get();
    }

    private Set<String> ids(String ns) {
        List<StrandedImage> list = api(ns).getStatus().strandedImages;
        return list == null ? Set.of() : list.stream().map(s -> s.imageId).collect(Collectors.toSet());
    }

    private Optional<Condition> condition(String ns) {
        return StatusConditions.of(api(ns), Conditions.IMAGES_STRANDED);
    }

    private List<Event> events(String ns, String reason) {
        return client.v1().events().inNamespace(ns).list().getItems().stream().filter(e -> reason.equals(e.getReason())).toList();
    }

    private Map<String, Long> strandedEvents(String ns) {
        return events(ns, "ImageStranded").stream().collect(Collectors.groupingBy(
                e -> e.getMessage().split(" ")[1], Collectors.counting()));
    }

    private double gauge(String ns) {
        var g = registry.find(OperatorMetrics.STRANDED_IMAGES).tag("namespace", ns).tag("glanceapi", "glance").gauge();
        return g == null ? -1 : g.value();
    }
}
