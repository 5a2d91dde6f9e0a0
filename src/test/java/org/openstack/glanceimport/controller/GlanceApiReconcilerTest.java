package org.openstack.glanceimport.controller;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceImportStaging;
import org.openstack.glanceimport.monitoring.OperatorMetrics;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.support.ApiRequests;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.StatusConditions;
import org.openstack.glanceimport.support.kube.AsUser;
import org.openstack.glanceimport.support.kube.StatefulSetController;
import org.openstack.glanceimport.validation.SecretInputs;

@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
class GlanceApiReconcilerTest {

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    @AsUser
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private GlanceAPI api(String ns, String name) {
        return client.resources(GlanceAPI.class).inNamespace(ns).withName(name).get();
    }

    private StatefulSet sts(String ns, String name) {
        return client.apps().statefulSets().inNamespace(ns).withName(name).get();
    }

    private List<PersistentVolumeClaim> claims(String ns, String glanceApi) {
        return client.persistentVolumeClaims().inNamespace(ns).withLabel(Names.GLANCEAPI_LABEL, glanceApi).list().getItems();
    }

    private static Condition condition(GlanceAPI api, String type) {
        return StatusConditions.get(api, type);
    }

    private void applyCephSetup(String ns) {
        Samples.apply(client, ns, "minimal.yaml");
        Samples.apply(client, ns, "ceph.yaml");
    }

    /** The environment the kubelet would give pod {@code pod}: $(VAR) expanded from earlier variables. */
    static Map<String, String> podEnv(StatefulSet sts, String pod, String ns) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar var : sts.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
            String value;
            if (var.getValueFrom() != null) {
                String path = var.getValueFrom().getFieldRef().getFieldPath();
                value = switch (path) {
                    case "metadata.name" -> pod;
                    case "metadata.namespace" -> ns;
                    case "status.podIP" -> "10.0.0." + pod.substring(pod.lastIndexOf('-') + 1);
                    default -> throw new AssertionError("unexpected fieldRef " + path);
                };
            } else {
                value = var.getValue();
                for (Map.Entry<String, String> e : env.entrySet()) {
                    value = value.replace("$(" + e.getKey() + ")", e.getValue());
                }
            }
            env.put(var.getName(), value);
        }
        return env;
    }

    @Test
    void scalingOneToThreeGivesThreeClaimsThreeReplicasAndThreeDistinctUrls() {
        String ns = "scale";
        applyCephSetup(ns);
        await().atMost(TIMEOUT).until(() -> sts(ns, "glance-ceph") != null);
        assertEquals(1, sts(ns, "glance-ceph").getSpec().getReplicas());
        assertEquals(1, claims(ns, "glance-ceph").size());
        // not OpenShift (no SecurityContextConstraints API): no ServiceAccount, Role or binding of ours (OpenShiftTest)
        assertEquals(null, sts(ns, "glance-ceph").getSpec().getTemplate().getSpec().getServiceAccountName());
        assertEquals(List.of(), client.serviceAccounts().inNamespace(ns).withLabel(Names.GLANCEAPI_LABEL).list().getItems());
        assertEquals(List.of(), client.rbac().roles().inNamespace(ns).list().getItems());
        assertEquals(List.of(), client.rbac().roleBindings().inNamespace(ns).list().getItems());

        // a merge patch (as kubectl scale/patch): it cannot conflict with the operator's status writes
        client.resources(GlanceAPI.class).inNamespace(ns).withName("glance-ceph")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":3}}");
        await().atMost(TIMEOUT).until(() -> sts(ns, "glance-ceph").getSpec().getReplicas() == 3);

        List<PersistentVolumeClaim> claims = claims(ns, "glance-ceph");
        assertEquals(Set.of("staging-glance-ceph-0", "staging-glance-ceph-1", "staging-glance-ceph-2"),
                claims.stream().map(c -> c.getMetadata().getName()).collect(Collectors.toSet()));
        GlanceImportStaging policy = Samples.staging(client, "ceph.yaml");
        for (PersistentVolumeClaim claim : claims) {
            assertEquals(new Quantity("20Gi"), claim.getSpec().getResources().getRequests().get("storage"));
            assertEquals(List.of("ReadWriteOnce"), claim.getSpec().getAccessModes());
            assertEquals(policy.getSpec().storage.storageClassName, claim.getSpec().getStorageClassName());
            assertEquals("glance-ceph", claim.getMetadata().getLabels().get(Names.GLANCEAPI_LABEL));
            assertEquals("ceph-staging", claim.getMetadata().getLabels().get(Names.STAGING_LABEL));
            // whenDeleted: Delete -> garbage-collected with the GlanceAPI
            assertEquals("GlanceAPI", claim.getMetadata().getOwnerReferences().get(0).getKind());
        }

        StatefulSet sts = sts(ns, "glance-ceph");
        assertEquals("glance-ceph-headless", sts.getSpec().getServiceName());
        assertEquals("Parallel", sts.getSpec().getPodManagementPolicy());
        assertEquals(Names.STAGING_VOLUME, sts.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName());
        Set<String> urls = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            urls.add(podEnv(sts, "glance-ceph-" + i, ns).get("OS_DEFAULT__WORKER_SELF_REFERENCE_URL"));
        }
        assertEquals(Set.of("http://glance-ceph-0.glance-ceph-headless.scale.svc:9292",
                "http://glance-ceph-1.glance-ceph-headless.scale.svc:9292",
                "http://glance-ceph-2.glance-ceph-headless.scale.svc:9292"), urls);
        // the budget does not depend on the StatefulSet: the workflow may create it a moment later
        await().atMost(TIMEOUT).until(() -> client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("glance-ceph").get() != null);

        await().atMost(TIMEOUT).until(() -> api(ns, "glance-ceph").getStatus().stagingClaims.size() == 3);
        assertEquals(urls, api(ns, "glance-ceph").getStatus().stagingClaims.stream().map(c -> c.url).collect(Collectors.toSet()));
    }

    @Test
    void rbdBackendRendersConversionToRawAndKeepsSecretsOutOfConfigMaps() {
        String ns = "rbd";
        applyCephSetup(ns);
        await().atMost(TIMEOUT).until(() -> client.configMaps().inNamespace(ns).withName("glance-ceph-config").get() != null);
        ConfigMap cm = client.configMaps().inNamespace(ns).withName("glance-ceph-config").get();
        String importConf = cm.getData().get("10-image-import.conf");
        assertTrue(importConf.contains("image_import_plugins = ['image_decompression', 'image_conversion']"), importConf);
        assertTrue(importConf.contains("[image_conversion]\noutput_format = raw"), importConf);
        String apiConf = cm.getData().get("00-glance-api.conf");
        assertTrue(apiConf.contains("enabled_backends = ceph:rbd"), apiConf);
        assertTrue(apiConf.contains("filesystem_store_datadir = /var/lib/glance/os_glance_staging_store"), apiConf);

        // the file-backend GlanceAPI of the minimal sample shares nothing of this: no conversion there
        await().atMost(TIMEOUT).until(() -> client.configMaps().inNamespace(ns).withName("glance-config").get() != null);
        assertTrue(client.configMaps().inNamespace(ns).withName("glance-config").get().getData().get("10-image-import.conf")
                .contains("image_import_plugins = []"));

        await().atMost(TIMEOUT).until(() -> client.secrets().inNamespace(ns).withName("glance-ceph-secrets").get() != null);
        Secret rendered = client.secrets().inNamespace(ns).withName("glance-ceph-secrets").get();
        String secretsConf = new String(Base64.getDecoder().decode(rendered.getData().get("30-secrets.conf")), StandardCharsets.UTF_8);
        assertTrue(secretsConf.contains(Samples.SERVICE_PASSWORD), "the rendered Secret carries the password");
        assertTrue(secretsConf.contains("mysql+pymysql://glance:" + Samples.DB_PASSWORD + "@"), "and the database URL");

        // the sensitive values users put in Secrets: passwords and the Ceph key
        List<String> secretValues = client.secrets().inNamespace(ns).list().getItems().stream()
                .filter(s -> !s.getMetadata().getName().endsWith("-secrets"))
                .map(SecretInputs::decode)
                .flatMap(data -> data.entrySet().stream())
                .flatMap(e -> e.getKey().equals("password") ? Stream.of(e.getValue())
                        : e.getKey().equals("keyring") ? e.getValue().lines().filter(l -> l.strip().startsWith("key"))
                                .map(l -> l.substring(l.indexOf('=') + 1).strip())
                                : Stream.empty())
                .toList();
        assertEquals(3, secretValues.size(), "two passwords and one Ceph key: " + secretValues.size());
        for (ConfigMap map : client.configMaps().inNamespace(ns).list().getItems()) {
            for (String content : map.getData().values()) {
                for (String value : secretValues) {
                    assertFalse(content.contains(value), "ConfigMap " + map.getMetadata().getName() + " contains a Secret value");
                }
            }
        }
    }

    @Test
    void missingStagingRefGivesFalseReadyNamingItAndRecoversWhenCreated() {
        String ns = "missing";
        for (var item : Samples.load(client, "minimal.yaml")) {
            if (!"GlanceImportStaging".equals(item.getKind())) {
                item.getMetadata().setNamespace(ns);
                client.resource(item).inNamespace(ns).create();
            }
        }
        await().atMost(TIMEOUT).until(() -> api(ns, "glance").getStatus() != null && !api(ns, "glance").getStatus().conditions.isEmpty());
        Condition ready = condition(api(ns, "glance"), "Ready");
        assertEquals("False", ready.getStatus());
        assertEquals("StagingNotFound", ready.getReason());
        assertTrue(ready.getMessage().contains("spec.stagingRef") && ready.getMessage().contains("\"default\""), ready.getMessage());
        assertNull(sts(ns, "glance"), "nothing is created from bad input");
        await().atMost(TIMEOUT).until(() -> client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(e -> "StagingNotFound".equals(e.getReason()) && "Warning".equals(e.getType())));

        assertTrue(gauge("glance_import_glanceapis", "phase", "InvalidInput") >= 1, "the metrics count it as invalid");

        GlanceImportStaging policy = Samples.staging(client, "minimal.yaml");
        policy.getMetadata().setNamespace(ns);
        client.resource(policy).create();

        await().atMost(TIMEOUT).until(() -> sts(ns, "glance") != null);
        await().atMost(TIMEOUT).until(() -> "True".equals(condition(api(ns, "glance"), "ConfigReady").getStatus()));
        StatefulSetController.markReady(client, ns, "glance");
        await().atMost(TIMEOUT).until(() -> "True".equals(condition(api(ns, "glance"), "Ready").getStatus()));
        assertEquals(1, api(ns, "glance").getStatus().readyReplicas);
        assertTrue(gauge("glance_import_glanceapis", "phase", "Ready") >= 1);
        assertTrue(gauge("glance_import_staging_requested_bytes", null, null) >= 10L * 1024 * 1024 * 1024, "10Gi of staging for its pod");
        assertTrue(client.v1().events().inNamespace(ns).list().getItems().stream().anyMatch(e -> "Created".equals(e.getReason())));
    }

    @Test
    void secondReconcileAtSteadyStateWritesNothing() {
        String ns = "steady";
        applyCephSetup(ns);
        Samples.apply(client, ns, "scaled.yaml");
        await().atMost(TIMEOUT).until(() -> sts(ns, "glance-ceph") != null && sts(ns, "glance-ceph").getSpec().getReplicas() == 3);
        StatefulSetController.markReady(client, ns, "glance-ceph");
        StatefulSetController.markReady(client, ns, "glance");
        await().atMost(TIMEOUT).until(() -> "True".equals(condition(api(ns, "glance-ceph"), "Ready").getStatus())
                && "True".equals(condition(api(ns, "glance"), "Ready").getStatus()));

        ApiRequests requests = new ApiRequests(server.getKubernetesMockServer());
        awaitQuiet(requests);

        // touch a referenced Secret without changing anything the operator renders: a full reconcile of both GlanceAPIs
        double before = reconciliations();
        client.secrets().inNamespace(ns).withName("glance-db").edit(s -> {
            s.getMetadata().setLabels(Map.of("touched", "yes"));
            return s;
        });
        await().atMost(TIMEOUT).until(() -> reconciliations() >= before + 2);
        awaitQuiet(requests);
        List<String> writes = requests.drain().stream().filter(ApiRequests::isWrite)
                .filter(r -> !r.getPath().contains("/secrets/glance-db"))
                .map(ApiRequests::describe).toList();
        assertEquals(List.of(), writes, "a reconcile at steady state must not write");
    }

    /** Waits until the operator has stopped issuing requests, then forgets what it saw. */
    private void awaitQuiet(ApiRequests requests) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(300)).until(() -> requests.drain().stream()
                .noneMatch(ApiRequests::isWrite));
    }

    private double gauge(String name, String tag, String value) {
        var search = registry.find(name);
        if (tag != null) {
            search = search.tag(tag, value);
        }
        return search.gauge().value();
    }

    private double reconciliations() {
        return registry.find(OperatorMetrics.RECONCILIATIONS).tag("controller", GlanceApiReconciler.NAME).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }
}
