package org.openstack.glanceimport.validation;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.GlanceImportStagingSpec;
import org.openstack.glanceimport.api.staging.AccessMode;
import org.openstack.glanceimport.api.staging.InjectMetadata;
import org.openstack.glanceimport.config.GlanceApiConfigRenderer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.objectstores.StoreBuilders;

class InputValidationTest {

    @Test
    void customConfigMayNotSetManagedKeys() {
        Optional<InputProblem> p = CustomConfigValidator.validate("[DEFAULT]\ndebug = true\nworker_self_reference_url = http://lb:9292\n"
                + "[os_glance_staging_store]\nfilesystem_store_datadir = /tmp\n");
        assertEquals("ManagedKeyInCustomConfig", p.orElseThrow().reason());
        assertEquals("spec.customServiceConfig", p.get().field());
        assertTrue(p.get().message().contains("[DEFAULT] worker_self_reference_url, [os_glance_staging_store] filesystem_store_datadir"),
                p.get().message());
        assertTrue(CustomConfigValidator.validate("[DEFAULT]\ndebug = true\n[oslo_policy]\nenforce_scope = true\n").isEmpty());
    }

    @Test
    void customConfigMayNotSetAStoresRenderedOptionsOrAnyCredential() {
        GlanceAPISpec spec = new GlanceAPISpec();
        spec.stores = List.of(StoreBuilders.store("objects", StoreBuilders.s3("https://s3.example.com", "images", "s3")));
        var options = GlanceApiConfigRenderer.storeOptions(spec);
        InputProblem p = CustomConfigValidator.validate("[objects]\ns3_store_bucket = other\ns3_store_thread_pools = 20\n"
                + "[elsewhere]\ns3_store_secret_key = leaked\n", options).orElseThrow();
        assertEquals("ManagedKeyInCustomConfig", p.reason());
        assertTrue(p.message().contains("[objects] s3_store_bucket, [elsewhere] s3_store_secret_key"), p.message());
        assertFalse(p.message().contains("thread_pools"), "a store option the operator leaves alone is the user's");
        assertFalse(p.message().contains("leaked"), "values are never quoted");
        assertTrue(CustomConfigValidator.validate("[objects]\ns3_store_thread_pools = 20\n", options).isEmpty());
    }

    @Test
    void customConfigHasTheSchemaLengthBound() {
        // the watch of a real API server never carries more (the schema says maxLength 65536); checked here, not on the mock
        assertEquals("spec.customServiceConfig: is 70002 characters long; the limit is 65536",
                CustomConfigValidator.validate("[DEFAULT]\n#" + "x".repeat(69990) + "\n").orElseThrow().describe());
    }

    @Test
    void customConfigMustParse() {
        InputProblem p = CustomConfigValidator.validate("[DEFAULT]\nthis is not ini\n").orElseThrow();
        assertEquals("InvalidCustomConfig", p.reason());
        assertEquals("spec.customServiceConfig: is not valid ini: line 2: expected 'key = value', found 'this is not ini'", p.describe());
    }

    @Test
    void missingSecretsAndKeysAreNamedWithoutValues() {
        SecretInputs inputs = new SecretInputs();
        assertTrue(inputs.read("spec.databaseSecret", "db", name -> null).isEmpty());
        var ks = Samples.secret("ns", "ks", "auth_url", "ftp://x", "username", "glance");
        inputs.keystone("spec.keystoneSecret", "ks", SecretInputs.decode(ks));
        var db = Samples.secret("ns", "db", "host", "db; rm -rf /", "username", "u", "password", "hunter2-secret", "port", "99999");
        inputs.database("spec.databaseSecret", "db", SecretInputs.decode(db));
        List<String> messages = inputs.problems().stream().map(InputProblem::describe).toList();
        assertEquals(List.of(
                "spec.databaseSecret: Secret \"db\" not found",
                "spec.keystoneSecret: Secret \"ks\" has no key \"password\"",
                "spec.keystoneSecret: key \"auth_url\" of Secret \"ks\" must be an http:// or https:// URL",
                "spec.databaseSecret: key \"port\" of Secret \"db\" is not a port number (1-65535)",
                "spec.databaseSecret: key \"host\" of Secret \"db\" is not a host name or address"), messages);
        assertFalse(messages.toString().contains("hunter2"));
    }

    @Test
    void cephConfWithoutMonHostIsRejected() {
        SecretInputs inputs = new SecretInputs();
        inputs.ceph("spec.stores[0].rbd.secretName", "ceph", Map.of("ceph.conf", "[global]\nfsid = x\n", "keyring", "[client.glance]\nkey = k\n"));
        assertEquals("spec.stores[0].rbd.secretName: key \"ceph.conf\" of Secret \"ceph\" has no mon_host; Glance could not reach the Ceph monitors",
                inputs.problems().get(0).describe());
        inputs = new SecretInputs();
        inputs.ceph("f", "ceph", Map.of("ceph.conf", "[global]\nmon host = 10.0.0.1\n", "keyring", "k"));
        assertTrue(inputs.problems().isEmpty());
    }

    @Test
    void stagingPolicyProblems() {
        GlanceImportStagingSpec spec = new GlanceImportStagingSpec();
        assertTrue(StagingPolicyValidator.validate(spec).isEmpty());
        spec.storage.size = new Quantity("-1Gi");
        spec.storage.accessMode = AccessMode.ReadWriteMany;
        spec.injectMetadata = new InjectMetadata();
        spec.injectMetadata.properties = Map.of("os_distro", "a,b");
        spec.webDownload.allowedSchemes = List.of("https\n[DEFAULT]");
        List<String> problems = StagingPolicyValidator.validate(spec).stream().map(InputProblem::describe).toList();
        assertEquals(List.of(
                "spec.storage.size: must be a positive quantity such as 10Gi",
                "spec.storage.accessMode: ReadWriteMany requires spec.storage.allowShared: true",
                "spec.injectMetadata.properties.os_distro: value must be 1-255 characters without commas or control characters",
                "spec.webDownload.allowedSchemes: item \"https?[DEFAULT]\" may only contain letters, digits and . _ : - [ ] *"), problems);
        spec.storage.size = new Quantity("ten gigs");
        assertEquals("spec.storage.size: \"ten gigs\" is not a quantity such as 10Gi", StagingPolicyValidator.validate(spec).get(0).describe());
    }
}
