package org.openstack.glanceimport.controller;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.GlanceImportStaging;
import org.openstack.glanceimport.api.GlanceImportStagingSpec;
import org.openstack.glanceimport.api.staging.AccessMode;
import org.openstack.glanceimport.api.staging.InjectMetadata;
import org.openstack.glanceimport.api.stores.BackendType;
import org.openstack.glanceimport.api.stores.RbdBackend;
import org.openstack.glanceimport.api.stores.Store;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.StatusConditions;
import org.openstack.glanceimport.support.kube.AsUser;
import org.openstack.glanceimport.support.kube.StatefulSetController;
import org.openstack.glanceimport.support.objectstores.StoreBuilders;

/**
 * Bad input, each case in its own namespace: the exact condition the GlanceAPI gets, an Event with the same reason, and
 * nothing created. Every Secret value used here is a marker; the last test scans everything the suite produced for them.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputMatrixTest {

    static final String DB_PASSWORD = "db-pw-MARKER-7f3a";
    static final String KS_PASSWORD = "ks-pw-MARKER-91c2";
    static final String CEPH_KEY = "AQ-MARKER-ceph-key-5d1e==";
    static final List<String> MARKERS = List.of(DB_PASSWORD, KS_PASSWORD, CEPH_KEY);
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    static final Queue LOG = new Queue();
    static final AtomicInteger CASES = new AtomicInteger();

    /** Every log line of the operator while this class runs. */
    static final class Queue extends Handler {
        final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

        @Override
        public void publish(LogRecord r) {
            String msg = r.getMessage();
            if (r.getParameters() != null && msg != null) {
                try {
                    msg = String.format(msg, r.getParameters());
                } catch (RuntimeException e) {
                    msg = msg + " " + Arrays.toString(r.getParameters());
                }
            }
            lines.add(msg + (r.getThrown() == null ? "" : " " + r.getThrown()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    static {
        Logger.getLogger("").addHandler(LOG);
    }

    @Inject
    @AsUser
    KubernetesClient client;

    /** One bad input: what to break in an otherwise valid set of objects, and the exact result. */
    record Case(String name, Consumer<Inputs> breakIt, String reason, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A valid rbd GlanceAPI with its policy and Secrets, before a case breaks something. */
    static final class Inputs {
        final Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
        final GlanceImportStaging policy = new GlanceImportStaging();
        final GlanceAPI api = new GlanceAPI();
        boolean createPolicy = true;

        Inputs() {
            secrets.put("db", new LinkedHashMap<>(Map.of("host", "db.openstack.svc", "username", "glance", "password", DB_PASSWORD)));
            secrets.put("ks", new LinkedHashMap<>(Map.of("auth_url", "https://keystone:5000/v3", "username", "glance",
                    "password", KS_PASSWORD)));
            secrets.put("ceph", new LinkedHashMap<>(Map.of("ceph.conf", "[global]\nmon_host = 10.0.0.1\n",
                    "keyring", "[client.glance]\nkey = " + CEPH_KEY + "\n")));
            policy.setSpec(new GlanceImportStagingSpec());
            api.setSpec(new GlanceAPISpec());
            policy.getMetadata().setName("policy");
            api.getMetadata().setName("glance");
            api.getSpec().stagingRef = "policy";
            api.getSpec().databaseSecret = "db";
            api.getSpec().keystoneSecret = "ks";
            Store ceph = new Store("ceph", BackendType.rbd);
            ceph.rbd = new RbdBackend();
            ceph.rbd.secretName = "ceph";
            api.getSpec().stores = new ArrayList<>(List.of(ceph));
        }

        /** Another rbd store on its own Ceph Secret. */
        void rbd(String store, String secret, Map<String, String> data) {
            Store fast = new Store(store, BackendType.rbd);
            fast.rbd = new RbdBackend();
            fast.rbd.secretName = secret;
            api.getSpec().stores.add(fast);
            secrets.put(secret, new LinkedHashMap<>(data));
        }

        /** An s3 store "objects" on Secret "s3" holding {@code data}, or on no Secret when it is null. */
        void s3(Map<String, String> data) {
            api.getSpec().stores.add(StoreBuilders.store("objects", StoreBuilders.s3("http://rgw:7480", "images", "s3")));
            if (data != null) {
                secrets.put("s3", new LinkedHashMap<>(data));
            }
        }

        /** A swift store "containers" on Secret "swift" holding {@code data}, or on no Secret when it is null. */
        void swift(String authVersion, Map<String, String> data) {
            api.getSpec().stores.add(StoreBuilders.store("containers", StoreBuilders.swift("http://rgw:7480/auth/1.0", authVersion,
                    "glance", "swift")));
            if (data != null) {
                secrets.put("swift", new LinkedHashMap<>(data));
            }
        }

        void custom(String ini) {
            api.getSpec().customServiceConfig = ini;
        }
    }

    private static Case c(String name, Consumer<Inputs> breakIt, String reason, String message) {
        return new Case(name, breakIt, reason, message);
    }

    private static final String INVALID_POLICY = "spec.stagingRef: GlanceImportStaging \"policy\" is invalid: ";

    static Stream<Case> cases() {
        return Stream.of(
                c("missing staging policy", i -> i.createPolicy = false, "StagingNotFound",
                        "spec.stagingRef: GlanceImportStaging \"policy\" not found in namespace %s"),
                c("staging ref names another kind", i -> i.api.getSpec().stagingRef = "db", "StagingNotFound",
                        "spec.stagingRef: GlanceImportStaging \"db\" not found in namespace %s"),
                c("missing database Secret", i -> i.secrets.remove("db"), "SecretNotFound",
                        "spec.databaseSecret: Secret \"db\" not found"),
                c("missing keystone Secret", i -> i.secrets.remove("ks"), "SecretNotFound",
                        "spec.keystoneSecret: Secret \"ks\" not found"),
                c("missing ceph Secret", i -> i.secrets.remove("ceph"), "SecretNotFound",
                        "spec.stores[0].rbd.secretName: Secret \"ceph\" not found (store \"ceph\")"),
                c("database Secret without host", i -> i.secrets.get("db").remove("host"), "SecretKeyMissing",
                        "spec.databaseSecret: Secret \"db\" has no key \"host\""),
                c("database Secret without password", i -> i.secrets.get("db").remove("password"), "SecretKeyMissing",
                        "spec.databaseSecret: Secret \"db\" has no key \"password\""),
                c("database password blank", i -> i.secrets.get("db").put("password", "   "), "SecretKeyMissing",
                        "spec.databaseSecret: Secret \"db\" has no key \"password\""),
                c("database port not a number", i -> i.secrets.get("db").put("port", "mysql"), "InvalidSecretValue",
                        "spec.databaseSecret: key \"port\" of Secret \"db\" is not a port number (1-65535)"),
                c("database port zero", i -> i.secrets.get("db").put("port", "0"), "InvalidSecretValue",
                        "spec.databaseSecret: key \"port\" of Secret \"db\" is not a port number (1-65535)"),
                c("database port too large", i -> i.secrets.get("db").put("port", "70000"), "InvalidSecretValue",
                        "spec.databaseSecret: key \"port\" of Secret \"db\" is not a port number (1-65535)"),
                c("database host with a line break (ini injection)", i -> i.secrets.get("db").put("host", "db\n[DEFAULT]\ndebug=true"),
                        "InvalidSecretValue", "spec.databaseSecret: key \"host\" of Secret \"db\" contains a line break"),
                c("database host with shell characters", i -> i.secrets.get("db").put("host", "db;rm -rf /"), "InvalidSecretValue",
                        "spec.databaseSecret: key \"host\" of Secret \"db\" is not a host name or address"),
                c("database host in unicode", i -> i.secrets.get("db").put("host", "dб.example"), "InvalidSecretValue",
                        "spec.databaseSecret: key \"host\" of Secret \"db\" is not a host name or address"),
                c("keystone auth_url not http", i -> i.secrets.get("ks").put("auth_url", "file:///etc/passwd"), "InvalidSecretValue",
                        "spec.keystoneSecret: key \"auth_url\" of Secret \"ks\" must be an http:// or https:// URL"),
                c("keystone without username", i -> i.secrets.get("ks").remove("username"), "SecretKeyMissing",
                        "spec.keystoneSecret: Secret \"ks\" has no key \"username\""),
                c("keystone password with a line break (ini injection)",
                        i -> i.secrets.get("ks").put("password", "x\nauth_url = http://evil"), "InvalidSecretValue",
                        "spec.keystoneSecret: key \"password\" of Secret \"ks\" contains a line break"),
                c("ceph.conf without mon_host", i -> i.secrets.get("ceph").put("ceph.conf", "[global]\nfsid = 1\n"), "InvalidSecretValue",
                        "spec.stores[0].rbd.secretName: key \"ceph.conf\" of Secret \"ceph\" has no mon_host; Glance could not reach the Ceph monitors (store \"ceph\")"),
                c("ceph Secret without keyring", i -> i.secrets.get("ceph").remove("keyring"), "SecretKeyMissing",
                        "spec.stores[0].rbd.secretName: Secret \"ceph\" has no key \"keyring\" (store \"ceph\")"),
                c("second Ceph Secret without keyring", i -> i.rbd("fast", "ceph-fast", Map.of("ceph.conf", "[global]\nmon_host = 10.0.1.1\n")),
                        "SecretKeyMissing", "spec.stores[1].rbd.secretName: Secret \"ceph-fast\" has no key \"keyring\" (store \"fast\")"),
                c("missing s3 Secret", i -> i.s3(null), "SecretNotFound", "spec.stores[1].s3.secretName: Secret \"s3\" not found (store \"objects\")"),
                c("s3 Secret without secret_key", i -> i.s3(Map.of("access_key", "AK")), "SecretKeyMissing",
                        "spec.stores[1].s3.secretName: Secret \"s3\" has no key \"secret_key\" (store \"objects\")"),
                c("s3 secret_key with a line break (ini injection)", i -> i.s3(Map.of("access_key", "AK", "secret_key", "x\n[DEFAULT]")),
                        "InvalidSecretValue", "spec.stores[1].s3.secretName: key \"secret_key\" of Secret \"s3\" contains a line break (store \"objects\")"),
                c("s3 ca.crt that is no certificate", i -> i.s3(Map.of("access_key", "AK", "secret_key", "SK", "ca.crt", "not a PEM")),
                        "InvalidCertificate", "spec.stores[1].s3.secretName: key \"ca.crt\" of Secret \"s3\" holds no PEM certificate (store \"objects\")"),
                c("s3 store without s3 section", i -> i.api.getSpec().stores.add(new Store("objects", BackendType.s3)), "MissingS3Settings",
                        "spec.stores[1].s3: store \"objects\" has type s3 but no s3 section (endpoint, bucket, secretName)"),
                c("missing swift Secret", i -> i.swift("3", null), "SecretNotFound",
                        "spec.stores[1].swift.secretName: Secret \"swift\" not found (store \"containers\")"),
                c("swift Keystone Secret without project_name", i -> i.swift("3", Map.of("user", "glance", "key", "K")), "SecretKeyMissing",
                        "spec.stores[1].swift.secretName: Secret \"swift\" has no key \"project_name\" (store \"containers\")"),
                c("swift Keystone user with a colon", i -> i.swift("3", Map.of("user", "a:b", "key", "K", "project_name", "service")),
                        "InvalidSecretValue", "spec.stores[1].swift.secretName: key \"user\" of Secret \"swift\" contains a colon; Glance's "
                                + "swift driver reads \"project:user\" and would split it there (store \"containers\")"),
                c("swift v1 Secret without key", i -> i.swift("1", Map.of("user", "glance:swift")), "SecretKeyMissing",
                        "spec.stores[1].swift.secretName: Secret \"swift\" has no key \"key\" (store \"containers\")"),
                c("rbd backend without rbd section", i -> i.api.getSpec().stores.get(0).rbd = null, "MissingRbdSettings",
                        "spec.stores[0].rbd: store \"ceph\" has type rbd but no rbd section (secretName, pool, user)"),
                c("two stores with one name", i -> i.api.getSpec().stores.add(i.api.getSpec().stores.get(0)), "DuplicateStore",
                        "spec.stores[1].name: store \"ceph\" is listed twice; store names must be unique"),
                c("rbd pool with a line break (ini injection)", i -> i.api.getSpec().stores.get(0).rbd.pool = "images\n[DEFAULT]",
                        "InvalidValue", "spec: value of [ceph] rbd_store_pool contains a line break or NUL; it would inject ini lines"),
                c("rbd user with a unicode line separator", i -> i.api.getSpec().stores.get(0).rbd.user = "glance\u2028x", "InvalidValue",
                        "spec: value of [ceph] rbd_store_user contains a line break or NUL; it would inject ini lines"),
                c("custom config sets worker_self_reference_url", i -> i.custom("[DEFAULT]\nworker_self_reference_url = http://lb:9292\n"),
                        "ManagedKeyInCustomConfig", "spec.customServiceConfig: sets options the operator manages: [DEFAULT] worker_self_reference_url; "
                                + "remove them (the operator sets them per pod or from the GlanceImportStaging and Secrets)"),
                c("custom config moves the staging store", i -> i.custom("[os_glance_staging_store]\nfilesystem_store_datadir = /tmp\n"),
                        "ManagedKeyInCustomConfig", "spec.customServiceConfig: sets options the operator manages: [os_glance_staging_store] "
                                + "filesystem_store_datadir; remove them (the operator sets them per pod or from the GlanceImportStaging and Secrets)"),
                c("custom config sets the database connection", i -> i.custom("[database]\nCONNECTION = sqlite://\n"),
                        "ManagedKeyInCustomConfig", "spec.customServiceConfig: sets options the operator manages: [database] CONNECTION; "
                                + "remove them (the operator sets them per pod or from the GlanceImportStaging and Secrets)"),
                c("custom config replaces the policy file", i -> i.custom("[oslo_policy]\npolicy_file = /tmp/open.yaml\n"),
                        "ManagedKeyInCustomConfig", "spec.customServiceConfig: sets options the operator manages: [oslo_policy] policy_file; "
                                + "remove them (the operator sets them per pod or from the GlanceImportStaging and Secrets)"),
                c("custom config is not ini", i -> i.custom("[DEFAULT]\nthis is not ini\n"), "InvalidCustomConfig",
                        "spec.customServiceConfig: is not valid ini: line 2: expected 'key = value', found 'this is not ini'"),
                c("custom config option before a section", i -> i.custom("debug = true\n"), "InvalidCustomConfig",
                        "spec.customServiceConfig: is not valid ini: line 1: option 'debug = true' appears before any [section]"),
                c("custom config with a NUL", i -> i.custom("[DEFAULT]\ndebug = \0true\n"), "InvalidCustomConfig",
                        "spec.customServiceConfig: contains a NUL character"),
                c("custom config with an unterminated section", i -> i.custom("[DEFAULT\ndebug = true\n"), "InvalidCustomConfig",
                        "spec.customServiceConfig: is not valid ini: line 1: malformed section header '[DEFAULT'"),
                c("custom config picks the backends", i -> i.custom("[DEFAULT]\nenabled_backends = other:file\n"),
                        "ManagedKeyInCustomConfig", "spec.customServiceConfig: sets options the operator manages: [DEFAULT] enabled_backends; "
                                + "remove them (the operator sets them per pod or from the GlanceImportStaging and Secrets)"),
                c("staging size negative", i -> i.policy.getSpec().storage.size = new Quantity("-1Gi"), "InvalidStagingPolicy",
                        INVALID_POLICY + "spec.storage.size: must be a positive quantity such as 10Gi"),
                c("staging size not a quantity", i -> i.policy.getSpec().storage.size = new Quantity("ten gigs"), "InvalidStagingPolicy",
                        INVALID_POLICY + "spec.storage.size: \"ten gigs\" is not a quantity such as 10Gi"),
                c("shared staging without allowShared", i -> i.policy.getSpec().storage.accessMode = AccessMode.ReadWriteMany,
                        "InvalidStagingPolicy", INVALID_POLICY + "spec.storage.accessMode: ReadWriteMany requires spec.storage.allowShared: true"),
                c("no import methods", i -> i.policy.getSpec().importMethods = List.of(), "InvalidStagingPolicy",
                        INVALID_POLICY + "spec.importMethods: must list at least one import method"),
                c("injected property value with a comma", i -> {
                    i.policy.getSpec().injectMetadata = new InjectMetadata();
                    i.policy.getSpec().injectMetadata.properties = Map.of("os_distro", "ubuntu,hw_rng=x");
                }, "InvalidStagingPolicy", INVALID_POLICY
                        + "spec.injectMetadata.properties.os_distro: value must be 1-255 characters without commas or control characters"),
                c("injected property key in unicode", i -> {
                    i.policy.getSpec().injectMetadata = new InjectMetadata();
                    i.policy.getSpec().injectMetadata.properties = Map.of("ключ", "v");
                }, "InvalidStagingPolicy", INVALID_POLICY
                        + "spec.injectMetadata.properties: key \"ключ\" may only contain letters, digits, '_', '.', '-'"),
                c("web-download scheme with a line break (ini injection)",
                        i -> i.policy.getSpec().webDownload.allowedSchemes = List.of("https\n[DEFAULT]"), "InvalidStagingPolicy",
                        INVALID_POLICY + "spec.webDownload.allowedSchemes: item \"https?[DEFAULT]\" may only contain letters, digits and . _ : - [ ] *"),
                c("name longer than 43 characters", i -> i.api.getMetadata().setName("g" + "x".repeat(43)), "NameTooLong",
                        "metadata.name: " + GlanceAPI.NAME_LENGTH_MESSAGE + " (\"g" + "x".repeat(43) + "\" has 44)"),
                c("name starting with a digit", i -> i.api.getMetadata().setName("1glance"), "InvalidName",
                        "metadata.name: " + GlanceAPI.NAME_FORMAT_MESSAGE),
                c("cpu limit that is not a quantity", i -> i.api.getSpec().resources = new ResourceRequirementsBuilder()
                        .addToLimits("cpu", new Quantity("2 cpus")).build(), "InvalidResources",
                        "spec.resources.limits.cpu: \"2 cpus\" is not a quantity; write it as 500m, 2, 512Mi or 1Gi"),
                c("disallowed host with a space", i -> i.policy.getSpec().webDownload.disallowedHosts = List.of("evil host"),
                        "InvalidStagingPolicy", INVALID_POLICY
                                + "spec.webDownload.disallowedHosts: item \"evil host\" may only contain letters, digits and . _ : - [ ] *"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Order(1)
    void badInputGetsTheExactConditionAndAnEventAndCreatesNothing(Case c) {
        String ns = "bad-" + CASES.incrementAndGet();
        Inputs inputs = new Inputs();
        c.breakIt().accept(inputs);
        create(ns, inputs);
        String expected = c.message().contains("%s") ? String.format(c.message(), ns) : c.message();

        String name = inputs.api.getMetadata().getName();
        await().atMost(TIMEOUT).until(() -> condition(ns, name, Conditions.CONFIG_READY) != null);
        Condition config = condition(ns, name, Conditions.CONFIG_READY);
        assertEquals("False", config.getStatus());
        assertEquals(c.reason(), config.getReason());
        assertEquals(expected, config.getMessage());
        assertEquals("False", condition(ns, name, Conditions.READY).getStatus());
        await().atMost(TIMEOUT).until(() -> client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(e -> c.reason().equals(e.getReason()) && "Warning".equals(e.getType()) && e.getMessage().contains(expected)));
        // nothing is created from bad input: no StatefulSet, Job, claim or rendered configuration
        assertEquals(List.of(), client.apps().statefulSets().inNamespace(ns).list().getItems());
        assertEquals(List.of(), client.batch().v1().jobs().inNamespace(ns).list().getItems());
        assertEquals(List.of(), client.persistentVolumeClaims().inNamespace(ns).list().getItems());
        assertEquals(List.of(), client.configMaps().inNamespace(ns).withLabel(Names.GLANCEAPI_LABEL).list().getItems());
        assertEquals(List.of(), client.services().inNamespace(ns).list().getItems());
    }

    @Test
    @Order(2)
    void badInputLaterLeavesTheRunningPodsAlone() {
        String ns = "bad-later";
        Inputs inputs = new Inputs();
        create(ns, inputs);
        await().atMost(TIMEOUT).until(() -> client.apps().statefulSets().inNamespace(ns).withName("glance").get() != null);
        StatefulSetController.markReady(client, ns, "glance");
        await().atMost(TIMEOUT).until(() -> "True".equals(condition(ns, Conditions.READY).getStatus()));
        String hash = client.apps().statefulSets().inNamespace(ns).withName("glance").get().getSpec().getTemplate().getMetadata()
                .getAnnotations().get(Names.CONFIG_HASH_ANNOTATION);
        String rv = client.apps().statefulSets().inNamespace(ns).withName("glance").get().getMetadata().getResourceVersion();

        client.resources(GlanceAPI.class).inNamespace(ns).withName("glance").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"customServiceConfig\":\"[DEFAULT]\\nworker_self_reference_url = http://lb:9292\\n\"}}");
        await().atMost(TIMEOUT).until(() -> "False".equals(condition(ns, Conditions.CONFIG_READY).getStatus()));
        Condition ready = condition(ns, Conditions.READY);
        assertEquals("ManagedKeyInCustomConfig", ready.getReason());
        assertTrue(ready.getMessage().endsWith("(running pods keep their last good configuration)"), ready.getMessage());
        assertEquals(rv, client.apps().statefulSets().inNamespace(ns).withName("glance").get().getMetadata().getResourceVersion(),
                "the StatefulSet is not touched");
        assertEquals(hash, client.apps().statefulSets().inNamespace(ns).withName("glance").get().getSpec().getTemplate()
                .getMetadata().getAnnotations().get(Names.CONFIG_HASH_ANNOTATION));
    }

    @Test
    @Order(3)
    void noSecretValueAppearsInConfigMapsEventsStatusOrLogs() {
        // a valid one too, so the rendered Secret really carries the values the scan looks for
        String ns = "bad-scan";
        create(ns, new Inputs());
        await().atMost(TIMEOUT).until(() -> client.secrets().inNamespace(ns).withName("glance-secrets").get() != null);
        String rendered = Serialization.asJson(client.secrets().inNamespace(ns).withName("glance-secrets").get());
        assertTrue(new String(Base64.getDecoder().decode(Serialization.unmarshal(rendered, Secret.class).getData()
                .get("30-secrets.conf"))).contains(KS_PASSWORD), "the scan looks for values that do exist in the rendered Secret");

        List<String> places = new ArrayList<>();
        client.configMaps().inAnyNamespace().list().getItems().forEach(cm -> places.add("ConfigMap " + cm.getMetadata().getName()
                + " " + Serialization.asJson(cm)));
        client.v1().events().inAnyNamespace().list().getItems().forEach(e -> places.add("Event " + Serialization.asJson(e)));
        client.resources(GlanceAPI.class).inAnyNamespace().list().getItems().forEach(a -> places.add("status of GlanceAPI "
                + a.getMetadata().getNamespace() + "/" + a.getMetadata().getName() + " " + Serialization.asJson(a.getStatus())));
        client.resources(GlanceImportStaging.class).inAnyNamespace().list().getItems().forEach(p -> places.add("status of GlanceImportStaging "
                + Serialization.asJson(p.getStatus())));
        LOG.lines.forEach(line -> places.add("log line " + line));
        assertTrue(places.size() > 100, "the scan covers what the suite produced: " + places.size());
        for (String place : places) {
            for (String marker : MARKERS) {
                assertFalse(place.contains(marker), place.substring(0, Math.min(200, place.length())) + " contains a Secret value");
            }
        }
        System.out.println("[bad-input matrix] " + CASES.get() + " bad inputs rejected with their exact condition; scanned "
                + places.size() + " ConfigMaps, Events, statuses and log lines: no Secret value found");
    }

    @AfterAll
    static void report() {
        Logger.getLogger("").removeHandler(LOG);
    }

    private void create(String ns, Inputs inputs) {
        List<HasMetadata> objects = new ArrayList<>();
        inputs.secrets.forEach((name, data) -> objects.add(Samples.secret(ns, name,
                data.entrySet().stream().flatMap(e -> Stream.of(e.getKey(), e.getValue())).toArray(String[]::new))));
        if (inputs.createPolicy) {
            objects.add(inputs.policy);
        }
        objects.add(inputs.api);
        for (HasMetadata o : objects) {
            o.getMetadata().setNamespace(ns);
            client.resource(o).inNamespace(ns).create();
        }
    }

    private Condition condition(String ns, String type) {
        return condition(ns, "glance", type);
    }

    private Condition condition(String ns, String name, String type) {
        return StatusConditions.find(client.resources(GlanceAPI.class).inNamespace(ns).withName(name).get(), type);
    }
}
