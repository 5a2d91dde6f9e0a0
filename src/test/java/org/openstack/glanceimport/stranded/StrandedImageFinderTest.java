package org.openstack.glanceimport.stranded;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.stranded.StrandedImage;
import org.openstack.glanceimport.config.ServiceCredentials;
import org.openstack.glanceimport.glance.GlanceImageClient;
import org.openstack.glanceimport.glance.StagedImages;
import org.openstack.glanceimport.naming.Names;

/** Which staged images count as stranded, and where the operator sends its deletes in production. */
class StrandedImageFinderTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    private static GlanceAPI api() {
        GlanceAPI api = new GlanceAPI();
        api.setMetadata(new ObjectMetaBuilder().withName("glance").withNamespace("os").withGeneration(1L).build());
        api.setSpec(new GlanceAPISpec());
        return api;
    }

    private static PersistentVolumeClaim claim(String name, Instant created) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withCreationTimestamp(created.toString()).endMetadata()
                .withNewStatus().withPhase("Bound").endStatus().build();
    }

    @Test
    void stageHostsNameTheirOrdinalWhateverTheSchemeAndPort() {
        GlanceAPI api = api();
        assertEquals(2, Names.ordinalOfStageHost(api, "http://glance-2.glance-headless.os.svc:9292").getAsInt());
        assertEquals(11, Names.ordinalOfStageHost(api, "https://glance-11.glance-headless.os.svc:443").getAsInt());
        assertTrue(Names.ordinalOfStageHost(api, "http://glance-internal-2.glance-internal-headless.os.svc:9292").isEmpty());
        assertTrue(Names.ordinalOfStageHost(api, "http://glance-2.glance-headless.other.svc:9292").isEmpty());
        assertTrue(Names.ordinalOfStageHost(api, "http://glance-02.glance-headless.os.svc:9292").isEmpty());
        assertTrue(Names.ordinalOfStageHost(api, "not a url").isEmpty());
    }

    @Test
    void removedPodsAndGoneOrReplacedClaimsStrandTheirImagesLivePodsNever() {
        GlanceAPI api = api();
        Instant staged = NOW.minusSeconds(3600);
        List<StagedImages.Staged> images = List.of(
                new StagedImages.Staged("on-0", "uploading", Names.selfReferenceUrl(api, 0), staged),
                new StagedImages.Staged("on-1", "importing", Names.selfReferenceUrl(api, 1), staged),
                new StagedImages.Staged("on-2", "uploading", Names.selfReferenceUrl(api, 2), staged),
                new StagedImages.Staged("fresh-on-3", "uploading", Names.selfReferenceUrl(api, 3), NOW.minusSeconds(10)),
                new StagedImages.Staged("elsewhere", "uploading", "http://other-0.other-headless.os.svc:9292", staged));
        Map<String, PersistentVolumeClaim> claims = Map.of(
                "staging-glance-0", claim("staging-glance-0", staged.minusSeconds(60)),
                // created anew after the image was staged on it: the data cannot be there
                "staging-glance-1", claim("staging-glance-1", NOW.minusSeconds(60)),
                // a claim created seconds after the image was staged is within the clock slack
                "staging-glance-3", claim("staging-glance-3", NOW));
        Function<String, PersistentVolumeClaim> lookup = claims::get;

        List<StrandedImage> found = StrandedImageFinder.find(api, images, 4, lookup, NOT_RUNNING, null, Set.of(), NOW);
        assertEquals(Map.of("on-1", "ClaimGone", "on-2", "ClaimGone"), reasons(found), "claim 2 is missing");

        found = StrandedImageFinder.find(api, images, 2, lookup, NOT_RUNNING, null, Set.of(), NOW);
        assertEquals(Map.of("on-1", "ClaimGone", "on-2", "PodRemoved", "fresh-on-3", "PodRemoved"), reasons(found));
        assertEquals(NOW.toString(), found.get(0).since);

        // since survives; an image settled since the scan is not listed again
        List<StrandedImage> later = StrandedImageFinder.find(api, images, 2, lookup, NOT_RUNNING, found, Set.of("on-1"), NOW.plusSeconds(300));
        assertEquals(Map.of("on-2", "PodRemoved", "fresh-on-3", "PodRemoved"), reasons(later));
        assertTrue(later.stream().allMatch(s -> s.since.equals(NOW.toString())), "since is when it was first found");

        PersistentVolumeClaim lost = claim("staging-glance-0", staged.minusSeconds(60));
        lost.getStatus().setPhase("Lost");
        PersistentVolumeClaim terminating = claim("staging-glance-1", staged.minusSeconds(60));
        terminating.getMetadata().setDeletionTimestamp(NOW.toString());
        assertEquals(Map.of("on-0", "ClaimGone", "on-1", "ClaimGone"), reasons(StrandedImageFinder.find(api, images.subList(0, 2), 2,
                Map.of("staging-glance-0", lost, "staging-glance-1", terminating)::get, NOT_RUNNING, null, Set.of(), NOW)));
    }

    @Test
    void anImportIsInterruptedWhenItsGlanceApiIsGoneOrStartedAfterTheImportLastMoved() {
        GlanceAPI api = api();
        Instant staged = NOW.minusSeconds(3600);
        Instant lastMoved = NOW.minusSeconds(120);
        List<StagedImages.Staged> images = List.of(
                importing("running-on-0", api, 0, staged, lastMoved),
                importing("cut-on-1", api, 1, staged, lastMoved),
                importing("cut-on-removed-2", api, 2, staged, lastMoved),
                // no task left (culled): the image's own updated_at is the last sign of life
                new StagedImages.Staged("no-task-on-1", "importing", Names.selfReferenceUrl(api, 1), lastMoved, null, null, null),
                new StagedImages.Staged("staged-on-1", "uploading", Names.selfReferenceUrl(api, 1), staged));
        Function<String, PersistentVolumeClaim> claims = name -> claim(name, staged.minusSeconds(60));
        Map<Integer, Instant> started = Map.of(0, lastMoved.minusSeconds(600), 1, lastMoved.plusSeconds(5));
        List<String> asked = new java.util.ArrayList<>();
        Function<Integer, Optional<Instant>> glanceStarted = i -> {
            asked.add("pod " + i);
            return Optional.ofNullable(started.get(i));
        };

        List<StrandedImage> found = StrandedImageFinder.find(api, images, 2, claims, glanceStarted, null, Set.of(), NOW);
        assertEquals(Map.of("cut-on-1", "ImportInterrupted", "cut-on-removed-2", "ImportInterrupted", "no-task-on-1", "ImportInterrupted"),
                reasons(found), "an uploading image on a pod that came back keeps its staged data; a running import is left alone");
        assertTrue(asked.stream().allMatch(a -> a.equals("pod 0") || a.equals("pod 1")), "only pods with an import are asked: " + asked);

        // while the pod is being re-created nothing can be told: not reported
        assertEquals(Map.of("cut-on-removed-2", "ImportInterrupted"),
                reasons(StrandedImageFinder.find(api, images, 2, claims, NOT_RUNNING, null, Set.of(), NOW)));
    }

    private static final Function<Integer, Optional<Instant>> NOT_RUNNING = i -> Optional.empty();

    private static StagedImages.Staged importing(String id, GlanceAPI api, int ordinal, Instant updated, Instant taskUpdated) {
        return new StagedImages.Staged(id, "importing", Names.selfReferenceUrl(api, ordinal), updated, "task-" + id, "processing",
                taskUpdated);
    }

    @Test
    void deletesGoToTheGlanceApisOwnServiceUnlessTheOperatorRunsOutsideTheCluster() {
        GlanceAPI api = api();
        assertEquals(URI.create("http://glance.os.svc:9292"), new StrandedImageCleaner(null, Optional.empty()).glanceEndpoint(api));
        assertEquals(URI.create("http://127.0.1.1:9292"), new StrandedImageCleaner(null, Optional.of("http://127.0.1.1:9292")).glanceEndpoint(api));
    }

    @Test
    void theKeystoneRequestScopesTheServiceUserToItsProject() throws Exception {
        var ks = new ServiceCredentials.Keystone("http://keystone.os.svc:5000/v3", "glance", "pw", "service", "Default", "Default", null);
        JsonNode auth = new ObjectMapper().readTree(GlanceImageClient.tokenRequest(ks)).path("auth");
        assertEquals("glance", auth.at("/identity/password/user/name").asText());
        assertEquals("pw", auth.at("/identity/password/user/password").asText());
        assertEquals("Default", auth.at("/identity/password/user/domain/name").asText());
        assertEquals("service", auth.at("/scope/project/name").asText());
        assertEquals("Default", auth.at("/scope/project/domain/name").asText());
        assertEquals(URI.create("http://keystone.os.svc:5000/v3/auth/tokens"), GlanceImageClient.tokensUri("http://keystone.os.svc:5000/v3/"));
        assertEquals(URI.create("http://keystone.os.svc:5000/v3/auth/tokens"), GlanceImageClient.tokensUri("http://keystone.os.svc:5000"));
    }

    private static Map<String, String> reasons(List<StrandedImage> found) {
        return found.stream().collect(java.util.stream.Collectors.toMap(s -> s.imageId, s -> s.reason));
    }
}
