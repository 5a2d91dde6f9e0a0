package org.openstack.glanceimport.controller;

import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.StatusConditions;
import org.openstack.glanceimport.support.kube.AsUser;

/**
 * spec.databaseTLS on the operator: the CA reaches the pods and Jobs only through the operator's Secret, Glance's
 * connection URL points to it, setting and removing it rolls the pods and re-runs db-sync, and a missing or unusable CA
 * Secret is named. (Whether the CA verifies the real server: DatabaseTlsCheckTest, and make e2e on MariaDB.)
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
class DatabaseTlsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String NAME = "glance-ceph";
    private static final String URL_TLS = "?charset=utf8&ssl_ca=/etc/glance/glance.conf.d/database-ca.crt";

    @Inject
    @AsUser
    KubernetesClient client;

    private void applyCeph(String ns, Map<String, Object> fields) {
        Samples.apply(client, ns, "minimal.yaml", item -> "Secret".equals(item.getKind()));
        Samples.apply(client, ns, "ceph.yaml", item -> true, Samples.glanceApiFields(NAME, fields));
    }

    private GlanceAPI api(String ns) {
        return client.resources(GlanceAPI.class).inNamespace(ns).withName(NAME).get();
    }

    private StatefulSet sts(String ns) {
        return client.apps().statefulSets().inNamespace(ns).withName(NAME).get();
    }

    private Map<String, String> rendered(String ns) {
        Secret s = client.secrets().inNamespace(ns).withName(NAME + "-secrets").get();
        Map<String, String> out = new java.util.TreeMap<>();
        s.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v))));
        return out;
    }

    private static String hash(StatefulSet sts) {
        return sts.getSpec().getTemplate().getMetadata().getAnnotations().get(Names.CONFIG_HASH_ANNOTATION);
    }

    @Test
    void theCaReachesGlanceThroughTheOperatorsSecretAndItsUrlAndRemovingItRollsBack() {
        String ns = "dbtls";
        String ca = Samples.tlsFile("ca.crt");
        client.resource(Samples.secret(ns, "galera-ca", "ca.crt", ca, "tls.crt", Samples.tlsFile("wildcard.crt"))).create();
        applyCeph(ns, Map.of("databaseTLS", Map.of("caSecretName", "galera-ca")));
        await().atMost(TIMEOUT).until(() -> sts(ns) != null && StatusConditions.isTrue(api(ns), "ConfigReady"));
        Map<String, String> files = rendered(ns);
        assertEquals(ca, files.get("database-ca.crt"));
        assertTrue(files.get("30-secrets.conf").contains("/glance" + URL_TLS + "\n"), files.get("30-secrets.conf"));
        String body = ca.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        assertFalse(Serialization.asJson(client.configMaps().inNamespace(ns).list()).contains(body), "the CA in a ConfigMap");
        // the db-sync Job (and so the purge and cache Jobs, GlancePod.jobPod) mounts the same Secret in the same directory
        String dbSync = StatusConditions.get(api(ns), "DBSyncReady").getMessage().replaceAll(".*Job ([a-z0-9-]+).*", "$1");
        Job job = client.batch().v1().jobs().inNamespace(ns).withName(dbSync).get();
        assertTrue(Serialization.asJson(job.getSpec().getTemplate().getSpec().getVolumes()).contains("\"name\":\"" + NAME + "-secrets\""));

        String withTls = hash(sts(ns));
        client.resources(GlanceAPI.class).inNamespace(ns).withName(NAME)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"databaseTLS\":null}}");
        await().atMost(TIMEOUT).until(() -> !withTls.equals(hash(sts(ns))));
        files = rendered(ns);
        assertFalse(files.containsKey("database-ca.crt"));
        assertTrue(files.get("30-secrets.conf").contains("/glance?charset=utf8\n"), files.get("30-secrets.conf"));
        // the database URL changed: db-sync runs again, as a new Job, before the pods roll
        await().atMost(TIMEOUT).until(() -> !StatusConditions.get(api(ns), "DBSyncReady").getMessage().contains(dbSync));
    }

    @Test
    void aMissingOrUnusableCaSecretIsNamedAndThePodsKeepTheirConfiguration() {
        String ns = "dbtlsbad";
        applyCeph(ns, Map.of());
        await().atMost(TIMEOUT).until(() -> sts(ns) != null && StatusConditions.isTrue(api(ns), "ConfigReady"));
        String running = hash(sts(ns));
        client.resources(GlanceAPI.class).inNamespace(ns).withName(NAME)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"databaseTLS\":{\"caSecretName\":\"galera-ca\"}}}");
        await().atMost(TIMEOUT).until(() -> StatusConditions.get(api(ns), "ConfigReady").getMessage()
                .contains("spec.databaseTLS.caSecretName: Secret \"galera-ca\" not found"));
        client.resource(Samples.secret(ns, "galera-ca", "tls.crt", Samples.tlsFile("wildcard.crt"))).create();
        await().atMost(TIMEOUT).until(() -> StatusConditions.get(api(ns), "ConfigReady").getMessage()
                .contains("spec.databaseTLS.caSecretName: Secret \"galera-ca\" has no key \"ca.crt\""));
        client.resource(Samples.secret(ns, "galera-ca", "ca.crt", "not a certificate")).update();
        await().atMost(TIMEOUT).until(() -> StatusConditions.get(api(ns), "ConfigReady").getMessage()
                .contains("spec.databaseTLS.caSecretName: key \"ca.crt\" of Secret \"galera-ca\" holds no PEM certificate"));
        assertEquals("False", StatusConditions.get(api(ns), "ConfigReady").getStatus());
        assertEquals(running, hash(sts(ns)), "the running pods are left as they were");
        assertTrue(client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(e -> "Warning".equals(e.getType()) && e.getMessage().contains("spec.databaseTLS.caSecretName")));
    }
}
