package org.openstack.glanceimport.controller;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.openstack.glanceimport.api.ApiServer;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.kube.AsUser;

/**
 * Upgrading only the operator must not restart Glance pods: they hold staged images, and a roll of every pod on every
 * operator upgrade would disturb imports. An operator of another version (here 0.2.0-next: another version label,
 * user agent and build) renders the pods of samples/minimal.yaml exactly as recorded: the StatefulSet's pod template and
 * the db-sync Job (a new Job name would run a new db_sync and hold the pods back).
 * <p>
 * Records of this release's pods under eventlet (0.1.0's only server) and under the default (httpd), and of the pods
 * rendered before spec.apiServer existed (minimal-pods.json, recorded at cd192d3 with the import drain, after 0.1.0):
 * the eventlet form differs from that record only where docs/upgrade-notes.md says ({@link #CHANGED_SINCE_RECORD}).
 * The upgrade from 0.1.0 itself, built from its commit, is UpgradeFromPreviousReleaseIT's. A change that alters the records rolls every pod on upgrade.
 * When that is intended, record the new forms with {@code ./mvnw test -Dtest=OperatorUpgradeTest -Dupgrade.record=true}
 * and say so in docs/upgrade-notes.md.
 */
@QuarkusTest
@TestProfile(OperatorUpgradeTest.NextVersion.class)
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
class OperatorUpgradeTest {

    /** What was rendered before spec.apiServer, all on the eventlet server (cd192d3): history, not re-recorded. */
    static final Path RECORDED_BEFORE_SERVERS = Path.of("src/test/resources/upgrade/minimal-pods.json");
    static final Path RECORDED_EVENTLET = Path.of("src/test/resources/upgrade/minimal-pods-eventlet.json");
    static final Path RECORDED_HTTPD = Path.of("src/test/resources/upgrade/minimal-pods-httpd.json");
    /** Where this release's eventlet pods differ from that record, each named in docs/upgrade-notes.md. */
    static final Set<String> CHANGED_SINCE_RECORD = Set.of(
            // apiTimeout: client_socket_timeout in the configuration
            "/statefulSetPodTemplate/metadata/annotations/" + Names.CONFIG_HASH_ANNOTATION.replace("/", "~1"),
            // the default spread across zones
            "/statefulSetPodTemplate/spec/topologySpreadConstraints");

    public static class NextVersion implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.application.version", "0.2.0-next");
        }
    }

    @Inject
    @AsUser
    KubernetesClient client;

    @Test
    void aGlanceApiOnTheEventletServerGetsItsRecordedPods() throws Exception {
        assertRendersAsRecorded("upgrade", ApiServer.eventlet, RECORDED_EVENTLET);
    }

    @Test
    void theEventletPodsDifferFrom010OnlyWhereTheUpgradeNotesSay() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Set<String> changed = new TreeSet<>();
        differences("", json.readTree(RECORDED_BEFORE_SERVERS.toFile()), json.readTree(RECORDED_EVENTLET.toFile()), changed);
        assertEquals(new TreeSet<>(CHANGED_SINCE_RECORD), changed);
    }

    /** JSON pointers of what was added, removed or changed, at the shallowest level where the two trees part. */
    private static void differences(String at, JsonNode was, JsonNode now, Set<String> changed) {
        if (was.isObject() && now.isObject()) {
            Set<String> names = new TreeSet<>();
            was.fieldNames().forEachRemaining(names::add);
            now.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String path = at + "/" + name.replace("~", "~0").replace("/", "~1");
                if (!was.has(name) || !now.has(name)) {
                    changed.add(path);
                } else {
                    differences(path, was.get(name), now.get(name), changed);
                }
            }
        } else if (!was.equals(now)) {
            changed.add(at);
        }
    }

    @Test
    void theDefaultServerGetsThePodsOfThisRelease() throws Exception {
        assertRendersAsRecorded("upgrade-httpd", null, RECORDED_HTTPD);
    }

    private void assertRendersAsRecorded(String ns, ApiServer server, Path recorded) throws Exception {
        Samples.apply(client, ns, "minimal.yaml", item -> !(item instanceof GlanceAPI || "GlanceAPI".equals(item.getKind())));
        GlanceAPI api = Samples.glanceApi(client, "minimal.yaml");
        api.getSpec().apiServer = server;
        api.getMetadata().setNamespace(ns);
        client.resource(api).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> client.apps().statefulSets().inNamespace(ns).withName("glance").get() != null
                && !client.batch().v1().jobs().inNamespace(ns).list().getItems().isEmpty());
        StatefulSet sts = client.apps().statefulSets().inNamespace(ns).withName("glance").get();
        Job dbSync = client.batch().v1().jobs().inNamespace(ns).list().getItems().get(0);
        Map<String, Object> pods = new LinkedHashMap<>();
        pods.put("statefulSetPodTemplate", sts.getSpec().getTemplate());
        pods.put("volumeClaimTemplates", sts.getSpec().getVolumeClaimTemplates());
        pods.put("dbSyncJob", dbSync.getMetadata().getName());
        pods.put("dbSyncPodTemplate", dbSync.getSpec().getTemplate());
        ObjectMapper canonical = Serialization.jsonMapper().copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .enable(SerializationFeature.INDENT_OUTPUT);
        String rendered = canonical.writeValueAsString(canonical.readTree(canonical.writeValueAsString(pods))) + "\n";
        assertFalse(rendered.contains("0.2.0-next"), "the operator's version reaches no pod");
        if (Boolean.getBoolean("upgrade.record")) {
            Files.writeString(recorded, rendered);
        }
        assertEquals(Files.readString(recorded), rendered, "this change restarts every Glance pod when only the operator is "
                + "upgraded; if intended, record it (-Dupgrade.record=true) and say so in the upgrade notes");
    }
}
