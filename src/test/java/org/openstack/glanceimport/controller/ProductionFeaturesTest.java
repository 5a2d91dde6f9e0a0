package org.openstack.glanceimport.controller;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.DatabasePurge;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.imagecache.ImageCache;
import org.openstack.glanceimport.config.GlancePaths;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.StatusConditions;
import org.openstack.glanceimport.support.kube.AsUser;

/**
 * samples/production.yaml on the operator: TLS proxying with verified per-pod names, two Ceph stores, the image cache with
 * its per-pod maintenance, and the database purge; then each feature turned off again on the running GlanceAPI.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
class ProductionFeaturesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String NAME = "glance-tls";

    @Inject
    @AsUser
    KubernetesClient client;

    /** ceph.yaml's policy and Ceph Secret, minimal.yaml's database and Keystone Secrets, a TLS Secret, then the sample. */
    private void applyProduction(String ns, String cert) {
        applyInputs(ns, "tls.crt", Samples.tlsFile(cert + ".crt"), "tls.key", Samples.tlsFile(cert + ".key"), "ca.crt", Samples.tlsFile("ca.crt"));
        Samples.apply(client, ns, "production.yaml");
    }

    /** Everything production.yaml refers to, with the TLS Secret holding the given keys and values. */
    private void applyInputs(String ns, String... tlsKeyValues) {
        Samples.apply(client, ns, "minimal.yaml", item -> "Secret".equals(item.getKind()));
        Samples.apply(client, ns, "ceph.yaml", item -> !"GlanceAPI".equals(item.getKind()));
        client.resource(Samples.secret(ns, "glance-tls-cert", tlsKeyValues)).create();
    }

    private GlanceAPI api(String ns) {
        return client.resources(GlanceAPI.class).inNamespace(ns).withName(NAME).get();
    }

    private StatefulSet sts(String ns) {
        return client.apps().statefulSets().inNamespace(ns).withName(NAME).get();
    }

    private static Container container(StatefulSet sts, String name) {
        return sts.getSpec().getTemplate().getSpec().getContainers().stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    private static Condition condition(GlanceAPI api, String type) {
        return StatusConditions.get(api, type);
    }

    private void patch(String ns, String json) {
        patch(ns, NAME, json);
    }

    private void patch(String ns, String name, String json) {
        client.resources(GlanceAPI.class).inNamespace(ns).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), json);
    }

    @Test
    void tlsPutsAProxyInFrontOfGlanceAndPodsUseHttpsNamesTheCertificateCovers() {
        String ns = "tls";
        applyProduction(ns, "wildcard");
        await().atMost(TIMEOUT).until(() -> sts(ns) != null);
        StatefulSet sts = sts(ns);

        Container glance = container(sts, "glance-api");
        Map<String, String> env = GlanceApiReconcilerTest.podEnv(sts, "glance-tls-2", ns);
        assertEquals("https://glance-tls-2.glance-tls-headless.tls.svc:9292", env.get("OS_DEFAULT__WORKER_SELF_REFERENCE_URL"));
        assertEquals(List.of("-DFOREGROUND", "-f", "/etc/glance/glance.conf.d/httpd.cfg"), glance.getArgs());
        assertEquals("/etc/glance/tls-ca/ca.crt", env.get("REQUESTS_CA_BUNDLE"), "peers are verified against the CA");
        assertTrue(glance.getPorts().isEmpty(), "glance-api exposes no port of its own");
        assertNull(glance.getReadinessProbe());

        Container proxy = container(sts, "tls-proxy");
        assertEquals("https", proxy.getPorts().get(0).getName());
        assertEquals(9292, proxy.getPorts().get(0).getContainerPort());
        assertEquals("HTTPS", proxy.getReadinessProbe().getHttpGet().getScheme());
        assertEquals(List.of("haproxy", "-W", "-db", "-f", "/etc/glance/tls-proxy/haproxy.cfg"), proxy.getCommand());
        var proxyVolume = sts.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals("tls-proxy"))
                .findFirst().orElseThrow().getProjected();
        assertEquals(Set.of("haproxy.cfg", "tls.crt", "tls.crt.key"), proxyVolume.getSources().stream()
                .flatMap(s -> (s.getConfigMap() != null ? s.getConfigMap().getItems() : s.getSecret().getItems()).stream())
                .map(i -> i.getPath()).collect(Collectors.toSet()));

        ConfigMap cm = client.configMaps().inNamespace(ns).withName("glance-tls-config").get();
        String haproxy = cm.getData().get("haproxy.cfg");
        assertTrue(haproxy.contains("bind \"${POD_IP}:9292\" ssl crt /etc/glance/tls-proxy/tls.crt"), haproxy);
        assertTrue(haproxy.contains("server glance-api localhost:19292"), haproxy);
        assertTrue(cm.getData().get("httpd.cfg").contains("\nListen localhost:19292\n"), "plain HTTP stays inside the pod");
        assertTrue(cm.getData().keySet().stream().filter(f -> f.endsWith(".conf"))
                .allMatch(f -> GlancePaths.isGlanceConfig(f) || f.equals(GlancePaths.WSGI_CONFIG_FILE)),
                "Glance under WSGI parses every *.conf of its directory as its own configuration: " + cm.getData().keySet());
        String ini = cm.getData().get("00-glance-api.conf");
        assertTrue(ini.contains("[oslo_middleware]\nenable_proxy_headers_parsing = true"), ini);
        assertEquals("https", client.services().inNamespace(ns).withName("glance-tls-headless").get().getSpec().getPorts().get(0)
                .getTargetPort().getStrVal());

        await().atMost(TIMEOUT).until(() -> api(ns).getStatus() != null && api(ns).getStatus().tlsNotAfter != null
                && api(ns).getStatus().stagingClaims.size() == 3);
        GlanceAPI api = api(ns);
        assertEquals("https://glance-tls.tls.svc:9292", api.getStatus().endpoint);
        assertTrue(api.getStatus().tlsNotAfter.startsWith("2126-"), api.getStatus().tlsNotAfter);
        assertTrue(api.getStatus().stagingClaims.stream().allMatch(c -> c.url.startsWith("https://")));

        // a renewed certificate (same names, new key) rolls the pods: haproxy reads it only at start
        String hash = sts.getSpec().getTemplate().getMetadata().getAnnotations().get(Names.CONFIG_HASH_ANNOTATION);
        client.resource(Samples.secret(ns, "glance-tls-cert", "tls.crt", Samples.tlsFile("narrow.crt"), "tls.key", Samples.tlsFile("narrow.key"),
                "ca.crt", Samples.tlsFile("ca.crt"))).update();
        // narrow.crt covers only pod 0: refused, nothing rolls
        await().atMost(TIMEOUT).until(() -> "False".equals(condition(api(ns), "ConfigReady").getStatus()));
        Condition refused = condition(api(ns), "ConfigReady");
        assertEquals("CertificateNameMismatch", refused.getReason());
        assertTrue(refused.getMessage().startsWith("spec.tls.secretName: the certificate in Secret \"glance-tls-cert\" does not cover "
                + "glance-tls-1.glance-tls-headless.tls.svc, glance-tls-2.glance-tls-headless.tls.svc"), refused.getMessage());
        assertEquals(hash, sts(ns).getSpec().getTemplate().getMetadata().getAnnotations().get(Names.CONFIG_HASH_ANNOTATION),
                "running pods keep the certificate they have");
        assertTrue(client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(e -> "CertificateNameMismatch".equals(e.getReason())), "an Event names the problem too");

        // scaled to one pod, the narrow certificate covers every name: it is taken and the pods roll
        patch(ns, "{\"spec\":{\"replicas\":1}}");
        await().atMost(TIMEOUT).until(() -> "True".equals(condition(api(ns), "ConfigReady").getStatus()));
        assertNotEquals(hash, sts(ns).getSpec().getTemplate().getMetadata().getAnnotations().get(Names.CONFIG_HASH_ANNOTATION));
    }

    @Test
    void aMissingCaIsRefusedBeforeAnythingIsCreated() {
        String ns = "tls-nocakey";
        applyInputs(ns, "tls.crt", Samples.tlsFile("wildcard.crt"), "tls.key", Samples.tlsFile("wildcard.key"));
        Samples.apply(client, ns, "production.yaml");
        await().atMost(TIMEOUT).until(() -> api(ns).getStatus() != null && !api(ns).getStatus().conditions.isEmpty());
        Condition config = condition(api(ns), "ConfigReady");
        assertEquals("SecretKeyMissing", config.getReason());
        assertTrue(config.getMessage().contains("spec.tls.secretName: Secret \"glance-tls-cert\" has no key \"ca.crt\""), config.getMessage());
        assertNull(sts(ns));
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedNamingTheCaSecret() {
        String ns = "tls-noca";
        applyInputs(ns, "tls.crt", Samples.tlsFile("wildcard.crt"), "tls.key", Samples.tlsFile("wildcard.key"));
        client.resource(Samples.secret(ns, "other-ca", "ca.crt", Samples.tlsFile("other-ca.crt"))).create();
        GlanceAPI api = Samples.glanceApi(client, "production.yaml");
        api.getMetadata().setNamespace(ns);
        api.getSpec().tls.caSecretName = "other-ca";
        client.resource(api).create();
        await().atMost(TIMEOUT).until(() -> api(ns).getStatus() != null
                && "CertificateNotTrusted".equals(condition(api(ns), "ConfigReady").getReason()));
        assertTrue(condition(api(ns), "ConfigReady").getMessage().contains("is not issued by the CA in ca.crt of Secret \"other-ca\""));
        assertNull(sts(ns));
    }

    @Test
    void twoCephStoresRenderOneSectionEachAndShareOneCephMount() {
        String ns = "stores";
        applyProduction(ns, "wildcard");
        await().atMost(TIMEOUT).until(() -> sts(ns) != null);
        String ini = client.configMaps().inNamespace(ns).withName("glance-tls-config").get().getData().get("00-glance-api.conf");
        assertTrue(ini.contains("enabled_backends = ceph:rbd, ceph-fast:rbd"), ini);
        assertTrue(ini.contains("[glance_store]\ndefault_backend = ceph\n"), ini);
        assertTrue(ini.contains("[ceph-fast]\nrbd_store_pool = images-fast\nrbd_store_user = glance\nstore_description = Ceph pool images-fast"), ini);
        assertTrue(ini.contains("enabled_import_methods = [glance-direct,web-download,copy-image]"), ini);
        String importConf = client.configMaps().inNamespace(ns).withName("glance-tls-config").get().getData().get("10-image-import.conf");
        assertTrue(importConf.contains("[image_conversion]\noutput_format = raw"), importConf);
        var ceph = sts(ns).getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals("ceph")).findFirst()
                .orElseThrow().getSecret();
        assertEquals("ceph-client-glance", ceph.getSecretName());
        assertEquals(List.of("ceph.conf", "ceph.client.glance.keyring"), ceph.getItems().stream().map(i -> i.getPath()).toList());
    }

    @Test
    void imageCacheGetsOwnClaimsAndAMaintenanceCronJobPerPodOnThatPodsNode() {
        String ns = "cache";
        applyProduction(ns, "wildcard");
        await().atMost(TIMEOUT).until(() -> client.batch().v1().cronjobs().inNamespace(ns).list().getItems().size() == 4);
        StatefulSet sts = sts(ns);
        assertEquals(List.of("staging", "image-cache"), sts.getSpec().getVolumeClaimTemplates().stream()
                .map(t -> t.getMetadata().getName()).toList());
        assertTrue(container(sts, "glance-api").getVolumeMounts().stream()
                .anyMatch(m -> m.getName().equals("image-cache") && m.getMountPath().equals("/var/cache/glance")));
        List<PersistentVolumeClaim> caches = client.persistentVolumeClaims().inNamespace(ns)
                .withLabel("import.glance.openstack.org/image-cache").list().getItems();
        assertEquals(Set.of("image-cache-glance-tls-0", "image-cache-glance-tls-1", "image-cache-glance-tls-2"),
                caches.stream().map(c -> c.getMetadata().getName()).collect(Collectors.toSet()));
        assertTrue(caches.stream().allMatch(c -> "GlanceAPI".equals(c.getMetadata().getOwnerReferences().get(0).getKind())),
                "a cache goes with its GlanceAPI");
        String ini = client.configMaps().inNamespace(ns).withName("glance-tls-config").get().getData().get("00-glance-api.conf");
        // 80% of 20Gi
        assertTrue(ini.contains("image_cache_dir = /var/cache/glance\nimage_cache_max_size = 17179869184\n"), ini);
        assertTrue(ini.contains("flavor = keystone+cachemanagement"), ini);

        CronJob job = client.batch().v1().cronjobs().inNamespace(ns).withName("glance-tls-cache-1").get();
        assertEquals("*/30 * * * *", job.getSpec().getSchedule());
        assertEquals("Forbid", job.getSpec().getConcurrencyPolicy());
        var pod = job.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        assertEquals("glance-cache-pruner", pod.getInitContainers().get(0).getCommand().get(0));
        assertEquals("glance-cache-cleaner", pod.getContainers().get(0).getCommand().get(0));
        for (Container c : List.of(pod.getInitContainers().get(0), pod.getContainers().get(0))) {
            assertEquals(List.of("https://glance-tls-1.glance-tls-headless.cache.svc:9292"), c.getEnv().stream()
                    .filter(e -> e.getName().equals("OS_DEFAULT__WORKER_SELF_REFERENCE_URL")).map(e -> e.getValue()).toList(),
                    "Glance 30 keys the cache index by the pod's URL: without it the pruner never ends");
        }
        assertEquals("image-cache-glance-tls-1", pod.getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null)
                .findFirst().orElseThrow().getPersistentVolumeClaim().getClaimName());
        var affinity = pod.getAffinity().getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().get(0);
        assertEquals("kubernetes.io/hostname", affinity.getTopologyKey());
        assertEquals(Map.of("statefulset.kubernetes.io/pod-name", "glance-tls-1"), affinity.getLabelSelector().getMatchLabels());
        // a maintenance pod must not match the API's Services or budget
        Map<String, String> serviceSelector = client.services().inNamespace(ns).withName(NAME).get().getSpec().getSelector();
        assertFalse(job.getSpec().getJobTemplate().getSpec().getTemplate().getMetadata().getLabels().entrySet()
                .containsAll(serviceSelector.entrySet()));

        await().atMost(TIMEOUT).until(() -> api(ns).getStatus() != null && api(ns).getStatus().imageCache != null
                && api(ns).getStatus().imageCache.pods.size() == 3);
        var status = api(ns).getStatus().imageCache;
        assertEquals(17179869184L, status.maxSizeBytes);
        assertEquals("glance-tls-cache-2", status.pods.get(2).cronJob);
        assertEquals("image-cache-glance-tls-2", status.pods.get(2).claim);

        // turned off: the StatefulSet is re-created without the template (pods orphaned, then adopted), the rest goes
        String uid = sts.getMetadata().getUid();
        patch(ns, "{\"spec\":{\"imageCache\":null}}");
        // one read per poll: the operator deletes and re-creates it, so a second read may find none
        await().atMost(TIMEOUT).until(() -> {
            StatefulSet now = sts(ns);
            return now != null && !uid.equals(now.getMetadata().getUid());
        });
        assertEquals(List.of("staging"), sts(ns).getSpec().getVolumeClaimTemplates().stream().map(t -> t.getMetadata().getName()).toList());
        await().atMost(TIMEOUT).until(() -> client.persistentVolumeClaims().inNamespace(ns)
                .withLabel("import.glance.openstack.org/image-cache").list().getItems().isEmpty());
        await().atMost(TIMEOUT).until(() -> client.batch().v1().cronjobs().inNamespace(ns).list().getItems().stream()
                .map(c -> c.getMetadata().getName()).toList().equals(List.of("glance-tls-db-purge")));
        await().atMost(TIMEOUT).until(() -> api(ns).getStatus().imageCache == null);
        assertEquals(3, client.persistentVolumeClaims().inNamespace(ns).withLabel(Names.STAGING_LABEL).list().getItems().size(),
                "staging claims are untouched");
        assertTrue(client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(e -> "StatefulSetReplaced".equals(e.getReason())));
    }

    @Test
    void aLargerCacheGrowsTheClaimsInPlaceWhereTheClassAllows() {
        String ns = "cache-grow";
        client.storage().v1().storageClasses().resource(new StorageClassBuilder()
                .withNewMetadata().withName("expandable-cache").endMetadata().withProvisioner("example.com/csi")
                .withAllowVolumeExpansion(true).build()).createOr(r -> r.update());
        Samples.apply(client, ns, "minimal.yaml", item -> "Secret".equals(item.getKind()));
        Samples.apply(client, ns, "ceph.yaml");
        patch(ns, "glance-ceph", "{\"spec\":{\"imageCache\":{\"size\":\"5Gi\",\"storageClassName\":\"expandable-cache\"}}}");
        // glance-ceph from ceph.yaml, one pod
        Supplier<PersistentVolumeClaim> cache = () -> client.persistentVolumeClaims().inNamespace(ns)
                .withName("image-cache-glance-ceph-0").get();
        await().atMost(TIMEOUT).until(() -> cache.get() != null);
        assertEquals(new Quantity("5Gi"), cache.get().getSpec().getResources().getRequests().get("storage"));
        patch(ns, "glance-ceph", "{\"spec\":{\"imageCache\":{\"size\":\"8Gi\"}}}");
        await().atMost(TIMEOUT).until(() -> new Quantity("8Gi")
                .equals(cache.get().getSpec().getResources().getRequests().get("storage")));
        assertEquals("glance-ceph", cache.get().getMetadata().getOwnerReferences().get(0).getName());
    }

    @Test
    void databasePurgeIsACronJobUntilTurnedOff() {
        String ns = "purge";
        applyProduction(ns, "wildcard");
        await().atMost(TIMEOUT).until(() -> client.batch().v1().cronjobs().inNamespace(ns).withName("glance-tls-db-purge").get() != null);
        CronJob purge = client.batch().v1().cronjobs().inNamespace(ns).withName("glance-tls-db-purge").get();
        assertEquals("0 1 * * *", purge.getSpec().getSchedule());
        List<String> command = purge.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0).getCommand();
        assertEquals("glance-manage", command.get(0));
        assertEquals(List.of("db", "purge", "--age_in_days", "30", "--max_rows", "100"), command.subList(command.size() - 6, command.size()));
        assertTrue(command.contains("/etc/glance/glance.conf.d/30-secrets.conf"), "it reads the database URL from the Secret");

        patch(ns, "{\"spec\":{\"databasePurge\":{\"ageInDays\":7}}}");
        await().atMost(TIMEOUT).until(() -> client.batch().v1().cronjobs().inNamespace(ns).withName("glance-tls-db-purge").get()
                .getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0).getCommand().contains("7"));
        patch(ns, "{\"spec\":{\"databasePurge\":null}}");
        await().atMost(TIMEOUT).until(() -> client.batch().v1().cronjobs().inNamespace(ns).withName("glance-tls-db-purge").get() == null);
    }

    /**
     * At the longest name the CRD allows, with every feature that names objects after the GlanceAPI (image cache CronJobs
     * per pod, the purge CronJob, the db-sync Job), each name the operator gives, and each name Kubernetes derives from
     * them (pods, revision hashes, the Jobs of CronJobs), fits Kubernetes' limits up to the highest ordinal (replicas 32).
     */
    @Test
    void theLongestAllowedNameFitsEveryNameDerivedFromIt() {
        String ns = "long-name";
        String name = "g" + "n".repeat(GlanceAPI.MAX_NAME_LENGTH - 1);
        applyInputs(ns, "tls.crt", "x");
        GlanceAPI api = Samples.glanceApi(client, "ceph.yaml");
        api.getMetadata().setName(name);
        api.getMetadata().setNamespace(ns);
        api.getSpec().replicas = 2;
        api.getSpec().imageCache = new ImageCache();
        api.getSpec().imageCache.size = new Quantity("5Gi");
        api.getSpec().databasePurge = new DatabasePurge();
        client.resource(api).create();
        await().atMost(TIMEOUT).until(() -> client.apps().statefulSets().inNamespace(ns).withName(name).get() != null
                && client.batch().v1().cronjobs().inNamespace(ns).list().getItems().size() == 3);

        List<HasMetadata> owned = new ArrayList<>();
        owned.addAll(client.apps().statefulSets().inNamespace(ns).list().getItems());
        owned.addAll(client.services().inNamespace(ns).list().getItems());
        owned.addAll(client.configMaps().inNamespace(ns).withLabel(Names.GLANCEAPI_LABEL, name).list().getItems());
        owned.addAll(client.secrets().inNamespace(ns).withLabel(Names.GLANCEAPI_LABEL, name).list().getItems());
        owned.addAll(client.persistentVolumeClaims().inNamespace(ns).list().getItems());
        owned.addAll(client.batch().v1().cronjobs().inNamespace(ns).list().getItems());
        owned.addAll(client.batch().v1().jobs().inNamespace(ns).list().getItems());
        owned.addAll(client.policy().v1().podDisruptionBudget().inNamespace(ns).list().getItems());
        assertEquals(Set.of("StatefulSet", "Service", "ConfigMap", "Secret", "PersistentVolumeClaim", "CronJob", "Job",
                "PodDisruptionBudget"), owned.stream().map(o -> o.getKind()).collect(Collectors.toSet()));

        List<String> tooLong = new ArrayList<>();
        BiConsumer<String, Integer> fits = (what, limit) -> {
            if (what.length() > limit || !what.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
                tooLong.add(what + " (" + what.length() + " > " + limit + ")");
            }
        };
        for (var o : owned) {
            String n = o.getMetadata().getName();
            switch (o.getKind()) {
                // a DNS-1035 label
                case "Service" -> fits.accept(n, 63);
                // its Jobs are NAME-<8 digits>, and a Job name becomes the job-name label
                case "CronJob" -> fits.accept(n, 52);
                case "Job" -> fits.accept(n, 63);
                // pods get controller-revision-hash NAME-<10 characters> as a label
                case "StatefulSet" -> fits.accept(n, 52);
                default -> fits.accept(n, 253);
            }
            o.getMetadata().getLabels().values().forEach(v -> fits.accept(v, 63));
        }
        // what exists only at higher replica counts, and what Kubernetes names: up to ordinal 31
        int last = 31;
        fits.accept(Names.pod(api, last), 63); // the statefulset.kubernetes.io/pod-name label
        fits.accept(Names.cacheCronJob(api, last), 52);
        fits.accept(Names.stagingClaim(api, last), 253);
        fits.accept(Names.cacheClaim(api, last), 253);
        fits.accept(Names.podHost(api, Names.pod(api, last)), 253);
        assertEquals(List.of(), tooLong);

        // one character more does not fit: the CRD's limit is the real one
        api.getMetadata().setName(name + "n");
        assertTrue(Names.cacheCronJob(api, last).length() > 52, Names.cacheCronJob(api, last));
    }
}
