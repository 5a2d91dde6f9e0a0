package org.openstack.glanceimport.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.stores.BackendType;
import org.openstack.glanceimport.api.stores.RbdBackend;
import org.openstack.glanceimport.api.stores.Store;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.objectstores.StoreBuilders;

/** The stores' side of the operator's Secret: 30-secrets.conf's store sections and the files beside it. */
class StoreSecretFilesTest {

    private static final ServiceCredentials CREDS = new ServiceCredentials(new ServiceCredentials.Database("h", 3306, "glance", "u", "p"),
            new ServiceCredentials.Keystone("https://ks:5000/v3", "glance", "pw", "service", "Default", "Default", null));
    private static final String CA = Samples.tlsFile("ca.crt");

    private static Store rbd(String name, String secret, String user) {
        Store store = new Store(name, BackendType.rbd);
        store.rbd = new RbdBackend();
        store.rbd.secretName = secret;
        store.rbd.user = user;
        return store;
    }

    private static Store s3(String name) {
        return StoreBuilders.store(name, StoreBuilders.s3("https://s3.example", name, name));
    }

    private static Store swift(String name, String authVersion) {
        return StoreBuilders.store(name, StoreBuilders.swift("http://127.0.0.1:7480/auth/1.0", authVersion, "glance", name));
    }

    private static GlanceAPISpec spec(Store... stores) {
        GlanceAPISpec spec = new GlanceAPISpec();
        spec.stores = List.of(stores);
        return spec;
    }

    @Test
    void withoutSuchStoresTheSecretIsAsBefore() {
        GlanceAPISpec spec = spec(rbd("ceph", "ceph", "glance"), new Store("file", BackendType.file));
        StoreCredentials stores = new StoreCredentials(Map.of("ceph", "[global]\nmon_host = 1.2.3.4\n"), Map.of(), Map.of());
        assertEquals(Map.of(), StoreSecretFiles.render(spec, stores), "one Ceph Secret is mounted as it is");
        assertEquals(SecretConfigRenderer.render(CREDS).render(), SecretConfigRenderer.render(CREDS, spec, stores).render());
    }

    @Test
    void s3KeysGoToTheStoreSectionOfTheSecretAndTheCasIntoOneBundle() {
        GlanceAPISpec spec = spec(s3("a"), s3("b"), s3("c"));
        StoreCredentials stores = new StoreCredentials(Map.of(), Map.of("a", new StoreCredentials.S3("AK", "S$K", CA),
                "b", new StoreCredentials.S3("AK2", "SK2", null), "c", new StoreCredentials.S3("AK3", "SK3", CA)), Map.of());
        String conf = SecretConfigRenderer.render(CREDS, spec, stores).render();
        assertTrue(conf.contains("[a]\ns3_store_access_key = AK\ns3_store_secret_key = S$$K\n"
                + "s3_store_cacert = /etc/glance/glance.conf.d/a.ca.crt\n"), conf);
        assertTrue(conf.contains("[b]\ns3_store_access_key = AK2\ns3_store_secret_key = SK2\n\n"), "no CA, no cacert: " + conf);
        Map<String, String> files = StoreSecretFiles.render(spec, stores);
        assertEquals(List.of("a.ca.crt", "c.ca.crt", "s3-ca-bundle.crt"), List.copyOf(files.keySet()));
        assertEquals(CA.strip() + "\n", files.get("s3-ca-bundle.crt"), "the same CA once");
        assertTrue(files.keySet().stream().noneMatch(GlancePaths::isGlanceConfig), "no file beside 30-secrets.conf is a --config-file");
    }

    @Test
    void swiftReferencesNameTheProjectForKeystoneAndEscapeForConfigParser() {
        GlanceAPISpec spec = spec(swift("rgw", "1"), swift("ks", "3"));
        StoreCredentials stores = new StoreCredentials(Map.of(), Map.of(), Map.of(
                "rgw", new StoreCredentials.Swift("glance:swift", "100%'secret", null, null, null, null),
                "ks", new StoreCredentials.Swift("glance", "'quoted'", "service", "Default", "Users", CA)));
        Map<String, String> files = StoreSecretFiles.render(spec, stores);
        assertEquals("[rgw]\nauth_address = http://127.0.0.1:7480/auth/1.0\nauth_version = 1\nuser = glance:swift\nkey = 100%%'secret\n\n"
                + "[ks]\nauth_address = http://127.0.0.1:7480/auth/1.0\nauth_version = 3\nuser = service:glance\nkey = \"'quoted'\"\n"
                + "user_domain_name = Default\nproject_domain_name = Users\n", files.get(GlancePaths.SWIFT_REFERENCES));
        assertEquals(CA, files.get("ks.ca.crt"));
        String conf = SecretConfigRenderer.render(CREDS, spec, stores).render();
        assertTrue(conf.contains("[ks]\nswift_store_cacert = /etc/glance/glance.conf.d/ks.ca.crt\n"), conf);
        assertFalse(conf.contains("[rgw]"), conf);
    }

    @Test
    void severalCephSecretsGetAConfNamingTheirKeyrings() throws Exception {
        GlanceAPISpec spec = spec(rbd("a", "ceph-a", "glance"), rbd("b", "ceph-b", "glance"), rbd("b2", "ceph-b", "other"));
        String userConf = "[global]\nmon_host = 10.0.0.1\n[client.glance]\nkeyring = /etc/ceph/ceph.client.glance.keyring\nrbd_cache = true";
        Map<String, String> files = StoreSecretFiles.render(spec, new StoreCredentials(Map.of("ceph-a", "[global]\nmon_host = 10.0.0.2\n",
                "ceph-b", userConf), Map.of(), Map.of()));
        assertEquals(List.of("ceph-ceph-a.conf", "ceph-ceph-b.conf"), List.copyOf(files.keySet()));
        String b = files.get("ceph-ceph-b.conf");
        assertEquals(userConf + "\n\n# added by glance-import-operator: the keyrings as this pod mounts them\n"
                + "[client.glance]\nkeyring = /etc/ceph/ceph-b/ceph.client.glance.keyring\n"
                + "[client.other]\nkeyring = /etc/ceph/ceph-b/ceph.client.other.keyring\n", b);
        // Ceph's own parser, where installed: the later keyring wins over the user's, the user's other options stay
        Path ceph = Path.of("/usr/bin/ceph-conf");
        Assumptions.assumeTrue(Files.isExecutable(ceph), "ceph-conf not installed");
        Path file = Files.createTempFile("ceph", ".conf");
        Files.writeString(file, b);
        assertEquals("/etc/ceph/ceph-b/ceph.client.glance.keyring", cephConf(ceph, file, "client.glance", "keyring"));
        assertEquals("/etc/ceph/ceph-b/ceph.client.other.keyring", cephConf(ceph, file, "client.other", "keyring"));
        assertEquals("true", cephConf(ceph, file, "client.glance", "rbd_cache"));
        assertEquals("10.0.0.1", cephConf(ceph, file, "client.other", "mon_host"));
        Files.delete(file);
    }

    private static String cephConf(Path ceph, Path file, String name, String key) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(ceph.toString(), "-c", file.toString(), "--name", name, key).redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        return new String(p.getInputStream().readAllBytes()).strip();
    }
}
