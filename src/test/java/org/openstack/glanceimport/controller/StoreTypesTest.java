package org.openstack.glanceimport.controller;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
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
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.stores.BackendType;
import org.openstack.glanceimport.api.stores.RbdBackend;
import org.openstack.glanceimport.api.stores.Store;
import org.openstack.glanceimport.config.GlancePaths;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.kube.AsUser;
import org.openstack.glanceimport.support.objectstores.FakeS3;
import org.openstack.glanceimport.support.objectstores.FakeSwift;

/**
 * The store types on the operator: s3 and swift stores get their credentials only through the operator's Secret and
 * their CAs into the pods, and rbd stores on several Ceph Secrets get a directory each, while one Ceph Secret keeps the
 * layout it always had. The operator tries each s3 and swift store before it renders anything, so these run against
 * in-process fakes (FakeS3 over HTTPS with a CA only the store Secret's ca.crt vouches for, FakeSwift behind Keystone v3)
 * put in place of the samples' endpoints.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
class StoreTypesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String ACCESS_KEY = "AK-MARKER-3e1f";
    private static final String SECRET_KEY = "SK-MARKER-88a0";
    private static final String CEPH_KEY = "CEPH-MARKER-41d9";
    private static final String CONFIG = "/etc/glance/glance.conf.d/";

    @Inject
    @AsUser
    KubernetesClient client;

    /**
     * minimal.yaml's Secrets and staging policy, then the given sample's GlanceAPI, edited (its store's endpoint pointed
     * at a fake), with the given Secrets.
     */
    private GlanceAPI apply(String ns, String sample, Consumer<GlanceAPI> edit, Map<String, String[]> secrets) {
        Samples.apply(client, ns, "minimal.yaml", item -> !"GlanceAPI".equals(item.getKind()));
        secrets.forEach((name, data) -> client.resource(Samples.secret(ns, name, data)).create());
        GlanceAPI api = Samples.glanceApi(client, sample);
        api.getMetadata().setNamespace(ns);
        edit.accept(api);
        return client.resource(api).inNamespace(ns).create();
    }

    private StatefulSet sts(String ns, String name) {
        await().atMost(TIMEOUT).until(() -> client.apps().statefulSets().inNamespace(ns).withName(name).get() != null);
        return client.apps().statefulSets().inNamespace(ns).withName(name).get();
    }

    private Map<String, String> operatorSecret(String ns, String name) {
        await().atMost(TIMEOUT).until(() -> client.secrets().inNamespace(ns).withName(name + "-secrets").get() != null);
        Map<String, String> out = new TreeMap<>();
        client.secrets().inNamespace(ns).withName(name + "-secrets").get().getData()
                .forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        return out;
    }

    private static Container glance(StatefulSet sts) {
        return sts.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Volume volume(StatefulSet sts, String name) {
        return sts.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(e -> e.getValue()).findFirst().orElse(null);
    }

    private String hash(String ns, String name) {
        return client.apps().statefulSets().inNamespace(ns).withName(name).get().getSpec().getTemplate().getMetadata().getAnnotations()
                .get(Names.CONFIG_HASH_ANNOTATION);
    }

    @Test
    void s3CredentialsOnlyInTheOperatorsSecretAndItsCaInThePods() throws Exception {
        String ns = "s3";
        try (FakeS3 s3 = new FakeS3("us-east-1", FakeS3.loopbackCertificate())) {
            s3.users.put(ACCESS_KEY, SECRET_KEY);
            s3.buckets.put("glance-images", ACCESS_KEY);
            String ca = FakeS3.loopbackCa();
            apply(ns, "s3.yaml", api -> api.getSpec().stores.get(0).s3.endpoint = s3.endpoint(), Map.of("s3-glance",
                    new String[] { "access_key", ACCESS_KEY, "secret_key", SECRET_KEY, "ca.crt", ca }));
            StatefulSet sts = sts(ns, "glance-s3");
            assertTrue(s3.requests.contains("GET /glance-images?location"),
                    "checked over HTTPS, trusting the Secret's CA, before rollout: " + s3.requests);
            Container glance = glance(sts);
            assertEquals(CONFIG + "s3-ca-bundle.crt", env(glance, "AWS_CA_BUNDLE"), "boto3 of every glance_store reads it");

            Map<String, String> secret = operatorSecret(ns, "glance-s3");
            assertEquals(Set.of("30-secrets.conf", "s3.ca.crt", "s3-ca-bundle.crt"), secret.keySet());
            assertTrue(secret.keySet().stream().filter(f -> f.endsWith(".conf")).allMatch(GlancePaths::isGlanceConfig),
                    "Glance under WSGI reads every *.conf of the directory: only its configuration may be named so");
            assertEquals(ca, secret.get("s3.ca.crt"));
            assertEquals(ca.strip() + "\n", secret.get("s3-ca-bundle.crt"));
            assertTrue(secret.get("30-secrets.conf").contains("[s3]\ns3_store_access_key = " + ACCESS_KEY + "\ns3_store_secret_key = "
                    + SECRET_KEY + "\ns3_store_cacert = " + CONFIG + "s3.ca.crt\n"), secret.get("30-secrets.conf"));
            String ini = client.configMaps().inNamespace(ns).withName("glance-s3-config").get().getData().get("00-glance-api.conf");
            assertTrue(ini.contains("[s3]\nstore_description = S3 bucket glance-images\ns3_store_host = " + s3.endpoint() + "\n"
                    + "s3_store_bucket = glance-images\ns3_store_create_bucket_on_put = true\ns3_store_bucket_url_format = path\n"), ini);
            assertNoSecretInConfigMaps(ns);

            // the store's Secret is watched: a new key (which the store accepts) rolls the pods
            assertEquals("true", client.secrets().inNamespace(ns).withName("s3-glance").get().getMetadata().getLabels()
                    .get("import.glance.openstack.org/referenced"));
            String before = hash(ns, "glance-s3");
            s3.users.put(ACCESS_KEY, "rotated");
            client.secrets().inNamespace(ns).withName("s3-glance")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"stringData\":{\"secret_key\":\"rotated\"}}");
            await().atMost(TIMEOUT).until(() -> !before.equals(hash(ns, "glance-s3")));
            assertTrue(operatorSecret(ns, "glance-s3").get("30-secrets.conf").contains("s3_store_secret_key = rotated\n"));
        }
    }

    @Test
    void swiftCredentialsGoToAReferenceFileGlanceDoesNotReadAsConfig() throws Exception {
        String ns = "swift";
        try (FakeSwift swift = new FakeSwift("glance")) {
            swift.containers.put("glance", FakeSwift.Container.OWN);
            String keystone = swift.url() + "/v3";
            apply(ns, "swift.yaml", api -> api.getSpec().stores.get(0).swift.authAddress = keystone, Map.of("swift-glance",
                    new String[] { "user", "glance", "key", FakeSwift.KEY, "project_name", FakeSwift.PROJECT }));
            StatefulSet sts = sts(ns, "glance-swift");
            assertEquals(List.of("POST /v3/auth/tokens", "HEAD /swift/v1/glance"), swift.requests.stream().limit(2).toList(),
                    "logged in to Keystone and found the container through its catalog before rollout");
            assertFalse(operatorSecret(ns, "glance-swift").keySet().stream().anyMatch(f -> f.contains("swift") && f.endsWith(".conf")),
                    "Glance under WSGI reads every *.conf of the directory");
            assertNull(env(glance(sts), "AWS_CA_BUNDLE"));
            Map<String, String> secret = operatorSecret(ns, "glance-swift");
            assertEquals("[swift]\nauth_address = " + keystone + "\nauth_version = 3\nuser = service:glance\nkey = " + FakeSwift.KEY
                    + "\nuser_domain_name = Default\nproject_domain_name = Default\n",
                    secret.get("swift-references.ini"));
            String ini = client.configMaps().inNamespace(ns).withName("glance-swift-config").get().getData().get("00-glance-api.conf");
            assertTrue(ini.contains("default_swift_reference = swift\nswift_store_config_file = " + CONFIG + "swift-references.ini\n"), ini);
            assertNoSecretInConfigMaps(ns);
        }
    }

    @Test
    void severalCephSecretsGetADirectoryEachAndOneKeepsEtcCeph() {
        String ns = "ceph";
        String conf = "[global]\nmon_host = 10.0.0.1\n";
        Samples.apply(client, ns, "minimal.yaml", item -> "Secret".equals(item.getKind()));
        client.resource(Samples.secret(ns, "ceph-client-glance", "ceph.conf", conf, "keyring", CEPH_KEY)).create();
        Samples.apply(client, ns, "ceph.yaml", item -> "GlanceImportStaging".equals(item.getKind()) || "GlanceAPI".equals(item.getKind()));
        StatefulSet one = sts(ns, "glance-ceph");
        Volume asIs = volume(one, "ceph");
        assertEquals("ceph-client-glance", asIs.getSecret().getSecretName(), "one Secret is mounted as before: no roll on upgrade");
        assertEquals(List.of("ceph.conf", "ceph.client.glance.keyring"), asIs.getSecret().getItems().stream().map(i -> i.getPath()).toList());
        assertEquals(Set.of("30-secrets.conf"), operatorSecret(ns, "glance-ceph").keySet());

        client.resource(Samples.secret(ns, "ceph-dr", "ceph.conf", "[global]\nmon_host = 10.9.0.1\n", "keyring", CEPH_KEY)).create();
        String before = hash(ns, "glance-ceph");
        client.resources(GlanceAPI.class).inNamespace(ns).withName("glance-ceph").edit(api -> {
            Store dr = new Store("dr", BackendType.rbd);
            dr.rbd = new RbdBackend();
            dr.rbd.secretName = "ceph-dr";
            dr.rbd.user = "glance-dr";
            api.getSpec().stores.add(dr);
            return api;
        });
        await().atMost(TIMEOUT).until(() -> !before.equals(hash(ns, "glance-ceph")));
        StatefulSet two = sts(ns, "glance-ceph");
        Map<String, String> paths = new TreeMap<>();
        volume(two, "ceph").getProjected().getSources().forEach(s -> s.getSecret().getItems()
                .forEach(i -> paths.put(i.getPath(), s.getSecret().getName() + ":" + i.getKey())));
        assertEquals(Map.of("ceph-client-glance/ceph.conf", "glance-ceph-secrets:ceph-ceph-client-glance.conf",
                "ceph-client-glance/ceph.client.glance.keyring", "ceph-client-glance:keyring",
                "ceph-dr/ceph.conf", "glance-ceph-secrets:ceph-ceph-dr.conf",
                "ceph-dr/ceph.client.glance-dr.keyring", "ceph-dr:keyring"), paths);
        assertEquals("/etc/ceph", glance(two).getVolumeMounts().stream().filter(m -> m.getName().equals("ceph")).findFirst().orElseThrow()
                .getMountPath());
        await().atMost(TIMEOUT).until(() -> operatorSecret(ns, "glance-ceph").containsKey("ceph-ceph-dr.conf"));
        assertEquals("[global]\nmon_host = 10.9.0.1\n\n# added by glance-import-operator: the keyrings as this pod mounts them\n"
                + "[client.glance-dr]\nkeyring = /etc/ceph/ceph-dr/ceph.client.glance-dr.keyring\n",
                operatorSecret(ns, "glance-ceph").get("ceph-ceph-dr.conf"));
        String ini = client.configMaps().inNamespace(ns).withName("glance-ceph-config").get().getData().get("00-glance-api.conf");
        assertTrue(ini.contains("rbd_store_ceph_conf = /etc/ceph/ceph-dr/ceph.conf"), ini);
        assertTrue(ini.contains("rbd_store_ceph_conf = /etc/ceph/ceph-client-glance/ceph.conf"), ini);
        assertNoSecretInConfigMaps(ns);
    }

    private void assertNoSecretInConfigMaps(String ns) {
        List<ConfigMap> maps = client.configMaps().inNamespace(ns).list().getItems();
        assertTrue(maps.stream().anyMatch(cm -> cm.getData() != null && cm.getData().containsKey("00-glance-api.conf")));
        for (ConfigMap cm : maps) {
            String json = Serialization.asJson(cm);
            for (String marker : List.of(ACCESS_KEY, SECRET_KEY, FakeSwift.KEY, CEPH_KEY)) {
                assertFalse(json.contains(marker), "ConfigMap " + cm.getMetadata().getName() + " holds a Secret value");
            }
        }
        assertNotEquals(0, maps.size());
    }
}
