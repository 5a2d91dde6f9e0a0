package org.openstack.glanceimport.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.support.GlanceApiObjects;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.StatusConditions;
import org.openstack.glanceimport.support.e2e.E2eHarness;
import org.openstack.glanceimport.support.e2e.E2eSetup;
import org.openstack.glanceimport.support.kube.AsUser;
import static org.openstack.glanceimport.support.e2e.E2eHarness.ops;
import static org.openstack.glanceimport.support.e2e.E2eHarness.python;

/**
 * Part of `make e2e` (live): Glance's database requires TLS (MariaDB's require_secure_transport, turned on for this
 * test only; services.sh starts MariaDB with a test CA's certificate for 127.0.0.1). glance-ceph gets spec.databaseTLS:
 * first with a CA that did not issue the server's certificate (a condition naming the database, an Event, no pods), then
 * with the right one: its real db-sync Job, its pods, an import, and the operator's own scan of staged images (holding a
 * scale-down) all go over verified TLS. glance-tls, left without spec.databaseTLS, is told the database requires TLS.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
@Tag("live")
class E2eDatabaseTls {

    static final String NS = E2eSetup.NS;
    static final String NAME = "glance-ceph";
    static final String CLEAR = "glance-tls";
    static final String CA_SECRET = "glance-db-ca";
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Inject
    @AsUser
    KubernetesClient client;

    @Test
    @SuppressWarnings("unchecked")
    void glanceAndTheOperatorUseTheDatabaseOverVerifiedTls() throws Exception {
        Path run = Path.of(System.getProperty("e2e.run")).toAbsolutePath();
        Map<String, Object> doc = Serialization.unmarshal(Files.readString(run.resolve("secrets.json")), Map.class);
        Map<String, Map<String, String>> secrets = (Map<String, Map<String, String>>) doc.get("secrets");
        String socket = ((Map<String, String>) doc.get("local")).get("mysql_socket");
        requireTls(socket, true);
        try {
            client.resource(Samples.secret(NS, CA_SECRET, "ca.crt", secrets.get("db_other_ca").get("ca.crt"))).create();
            E2eSetup.apply(client, run.resolve("secrets.json"), Samples.glanceApiFields(NAME,
                    Map.of("databaseTLS", Map.of("caSecretName", CA_SECRET))));

            // a CA that did not issue the server's certificate: named, and nothing is rolled out
            await().atMost(TIMEOUT).until(() -> config() != null && "DatabaseCertificateNotTrusted".equals(config().getReason()));
            System.out.println("[dbtls] wrong CA: " + config().getMessage());
            assertTrue(config().getMessage().contains("the database 127.0.0.1:3307 presented a certificate that the CA in key "
                    + "ca.crt of Secret \"" + CA_SECRET + "\" does not verify"), config().getMessage());
            assertTrue(events("DatabaseCertificateNotTrusted") > 0);
            assertNull(client.apps().statefulSets().inNamespace(NS).withName(NAME).get());

            // without spec.databaseTLS, the scans are refused in clear and taken over TLS: told so
            await().atMost(TIMEOUT).until(() -> StatusConditions.find(api(CLEAR), "ImagesStranded") != null
                    && "DatabaseTLSRequired".equals(StatusConditions.find(api(CLEAR), "ImagesStranded").getReason()));
            String required = StatusConditions.find(api(CLEAR), "ImagesStranded").getMessage();
            System.out.println("[dbtls] without databaseTLS: " + required);
            assertTrue(required.contains("the Glance database 127.0.0.1:3307 requires TLS"), required);
            assertTrue(events("DatabaseTLSRequired") > 0);

            client.resource(Samples.secret(NS, CA_SECRET, "ca.crt", secrets.get("db_ca").get("ca.crt"))).update();
            await().atMost(TIMEOUT).until(() -> sts() == 3 && "True".equals(config().getStatus())
                    && StatusConditions.find(api(NAME), "DBSyncReady") != null);
            String dbSync = StatusConditions.get(api(NAME), "DBSyncReady").getMessage().replaceAll(".*Job ([a-z0-9-]+).*", "$1");
            // the operator's db-sync Job, run for real first, as on a cluster: glance-manage db_sync over TLS
            KubernetesList objects = GlanceApiObjects.of(client, api(NAME));
            List<HasMetadata> items = new ArrayList<>(objects.getItems());
            items.add(client.batch().v1().jobs().inNamespace(NS).withName(dbSync).get());
            objects.setItems(items);
            Path list = run.resolve("live-dbtls.json");
            Files.writeString(list, Serialization.asJson(objects));
            long t = System.nanoTime();
            python("pods.py", "job", run.toString(), list.toString(), "--job", dbSync);
            System.out.printf("[dbtls] db-sync Job %s over TLS: %.1f s%n", dbSync, (System.nanoTime() - t) / 1e9);
            python("pods.py", "up", run.toString(), list.toString());

            Path qcow2 = run.resolve("dbtls.qcow2");
            ops(run, "make-qcow2", qcow2.toString(), "32", "8");
            String id = E2eHarness.stagedOn(run, 2, "e2e-database-tls", qcow2);
            client.resources(GlanceAPI.class).inNamespace(NS).withName(NAME)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":2}}");
            // the operator asked Glance's database, over TLS, which images are staged on pod 2
            await().atMost(TIMEOUT).until(() -> StatusConditions.find(api(NAME), "ScaleDownBlocked") != null);
            Condition held = StatusConditions.find(api(NAME), "ScaleDownBlocked");
            System.out.println("[dbtls] " + held.getReason() + ": " + held.getMessage());
            assertTrue(held.getMessage().contains(id + " (uploading) on " + NAME + "-2"), held.getMessage());
            assertTrue(ops(run, "import", "0", id).startsWith("202"));
            String result = ops(run, "wait", "0", id, "180");
            assertTrue(result.startsWith("active"), result);
            await().atMost(TIMEOUT).until(() -> sts() == 2);
            assertEquals("1", mariadb(socket, "SELECT @@require_secure_transport").strip(), "TLS was required throughout");
            System.out.println("[dbtls] " + id + " imported, scale-down held and released, all over TLS to 127.0.0.1:3307");
        } finally {
            python("pods.py", "down", run.toString());
            requireTls(socket, false);
        }
    }

    /** require_secure_transport is dynamic in MariaDB 10.5+; the unix socket counts as secure, so root may always set it. */
    private static void requireTls(String socket, boolean on) throws Exception {
        mariadb(socket, "SET GLOBAL require_secure_transport=" + (on ? "ON" : "OFF"));
    }

    private static String mariadb(String socket, String sql) throws Exception {
        Process p = new ProcessBuilder("mariadb", "--no-defaults", "--socket=" + socket, "-uroot", "-N", "-B", "-e", sql)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new AssertionError("mariadb -e " + sql + ": " + out);
        }
        return out;
    }

    private GlanceAPI api(String name) {
        return client.resources(GlanceAPI.class).inNamespace(NS).withName(name).get();
    }

    private Condition config() {
        return StatusConditions.find(api(NAME), "ConfigReady");
    }

    private long events(String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream().filter(e -> reason.equals(e.getReason())).count();
    }

    private int sts() {
        var sts = client.apps().statefulSets().inNamespace(NS).withName(NAME).get();
        return sts == null ? -1 : sts.getSpec().getReplicas();
    }
}
