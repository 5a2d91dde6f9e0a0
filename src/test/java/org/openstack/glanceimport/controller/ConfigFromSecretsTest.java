package org.openstack.glanceimport.controller;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Secret;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.mounts.ExtraMount;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.StatusConditions;
import org.openstack.glanceimport.support.kube.AsUser;

/**
 * customServiceConfigSecrets and extraMounts on the operator: what is secret reaches only Secrets, a change rolls the
 * pods, bad input is named without its values, and no extra mount can cover what the operator mounts.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
class ConfigFromSecretsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String TLS = "glance-tls";
    private static final String CEPH = "glance-ceph";
    private static final String PASSWORD = "s3cr3t-rabbit-pw";

    @Inject
    @AsUser
    KubernetesClient client;

    /** production.yaml (TLS, two Ceph stores) with {@code fields} set; its certificate covers namespace openstack only. */
    private void applyProduction(Map<String, Object> fields) {
        String ns = "openstack";
        Samples.apply(client, ns, "minimal.yaml", item -> "Secret".equals(item.getKind()));
        Samples.apply(client, ns, "ceph.yaml", item -> !"GlanceAPI".equals(item.getKind()));
        client.resource(Samples.secret(ns, "glance-tls-cert", "tls.crt", Samples.tlsFile("wildcard.crt"), "tls.key",
                Samples.tlsFile("wildcard.key"), "ca.crt", Samples.tlsFile("ca.crt"))).create();
        userSecrets(ns);
        Samples.apply(client, ns, "production.yaml", item -> true, Samples.glanceApiFields(TLS, fields));
    }

    /** ceph.yaml's GlanceAPI with {@code fields} set. */
    private void applyCeph(String ns, Map<String, Object> fields) {
        Samples.apply(client, ns, "minimal.yaml", item -> "Secret".equals(item.getKind()));
        userSecrets(ns);
        Samples.apply(client, ns, "ceph.yaml", item -> true, Samples.glanceApiFields(CEPH, fields));
    }

    private void userSecrets(String ns) {
        client.resource(Samples.secret(ns, "notifications", "notifications.conf", "[oslo_messaging_notifications]\n"
                + "driver = messagingv2\ntransport_url = rabbit://glance:" + PASSWORD + "@rabbitmq.openstack.svc:5672/\n")).create();
        client.resource(Samples.secret(ns, "extra-ca", "ca.pem", Samples.tlsFile("ca.crt"))).create();
    }

    private static final Map<String, Object> BOTH = Map.of("customServiceConfigSecrets", List.of("notifications"),
            "extraMounts", List.of(Map.of("mountPath", "/etc/glance/policy.d", "configMapName", "glance-policy"),
                    Map.of("mountPath", "/etc/pki/extra/ca.pem", "secretName", "extra-ca", "subPath", "ca.pem")));

    private GlanceAPI api(String ns) {
        return client.resources(GlanceAPI.class).inNamespace(ns).withName(name(ns)).get();
    }

    private StatefulSet sts(String ns) {
        return client.apps().statefulSets().inNamespace(ns).withName(name(ns)).get();
    }

    private static String name(String ns) {
        return "openstack".equals(ns) ? TLS : CEPH;
    }

    private static String hash(StatefulSet sts) {
        return sts.getSpec().getTemplate().getMetadata().getAnnotations().get(Names.CONFIG_HASH_ANNOTATION);
    }

    @Test
    void secretIniFilesReachOnlyTheOperatorsSecretAndAChangeRollsThePods() {
        String ns = "cfgsecrets";
        applyCeph(ns, BOTH);
        await().atMost(TIMEOUT).until(() -> sts(ns) != null && StatusConditions.isTrue(api(ns), "ConfigReady"));
        Secret rendered = client.secrets().inNamespace(ns).withName(Names.secret(api(ns))).get();
        String file = new String(java.util.Base64.getDecoder().decode(rendered.getData().get("40-notifications.conf")));
        assertTrue(file.contains("transport_url = rabbit://glance:" + PASSWORD + "@"), file);
        // nowhere but Secrets: no ConfigMap, no status, no Event, no pod template
        String elsewhere = Serialization.asJson(client.configMaps().inNamespace(ns).list()) + Serialization.asJson(api(ns))
                + Serialization.asJson(client.v1().events().inNamespace(ns).list()) + Serialization.asJson(sts(ns));
        assertFalse(elsewhere.contains(PASSWORD), "the transport password outside a Secret");

        Container glance = sts(ns).getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> mounts = glance.getVolumeMounts().stream().filter(m -> m.getName().startsWith("extra-"))
                .collect(Collectors.toMap(m -> m.getMountPath(), m -> m.getName() + (m.getSubPath() != null ? ":" + m.getSubPath() : "")
                        + (Boolean.TRUE.equals(m.getReadOnly()) ? " ro" : " rw")));
        assertEquals(Map.of("/etc/glance/policy.d", "extra-0 ro", "/etc/pki/extra/ca.pem", "extra-1:ca.pem ro"), mounts);
        var volumes = sts(ns).getSpec().getTemplate().getSpec().getVolumes();
        assertEquals("glance-policy", volumes.stream().filter(v -> v.getName().equals("extra-0")).findFirst().orElseThrow()
                .getConfigMap().getName());
        assertEquals("extra-ca", volumes.stream().filter(v -> v.getName().equals("extra-1")).findFirst().orElseThrow()
                .getSecret().getSecretName());

        // a rotated password rolls the pods, as any configuration change does
        String before = hash(sts(ns));
        client.resource(Samples.secret(ns, "notifications", "notifications.conf", "[oslo_messaging_notifications]\n"
                + "transport_url = rabbit://glance:rotated@rabbitmq.openstack.svc:5672/\n")).update();
        await().atMost(TIMEOUT).until(() -> !before.equals(hash(sts(ns))));
    }

    @Test
    void aManagedOptionInASecretIsRefusedByNameWithoutItsValue() {
        String ns = "cfgmanaged";
        applyCeph(ns, BOTH);
        await().atMost(TIMEOUT).until(() -> sts(ns) != null && StatusConditions.isTrue(api(ns), "ConfigReady"));
        String running = hash(sts(ns));
        client.resource(Samples.secret(ns, "notifications", "notifications.conf", "[database]\nconnection = mysql+pymysql://"
                + "glance:" + PASSWORD + "@db/glance\n", "notes.txt", "x")).update();
        await().atMost(TIMEOUT).until(() -> !StatusConditions.isTrue(api(ns), "ConfigReady"));
        Condition config = StatusConditions.get(api(ns), "ConfigReady");
        assertTrue(config.getMessage().contains("spec.customServiceConfigSecrets[0]: Secret \"notifications\" key "
                + "\"notifications.conf\" sets options the operator manages: [database] connection"), config.getMessage());
        assertTrue(config.getMessage().contains("key \"notes.txt\" is not an ini file"), config.getMessage());
        assertFalse(Serialization.asJson(api(ns)).contains(PASSWORD));
        assertEquals(running, hash(sts(ns)), "the running pods are left as they were");
    }

    @Test
    void noExtraMountCoversWhatTheOperatorMounts() {
        String ns = "openstack";
        applyProduction(Map.of("imageCache", Map.of("size", "10Gi")));
        await().atMost(TIMEOUT).until(() -> sts(ns) != null);
        for (Container c : sts(ns).getSpec().getTemplate().getSpec().getContainers()) {
            c.getVolumeMounts().forEach(m -> assertTrue(new ExtraMount(m.getMountPath(), "s", null, null).coversReserved(),
                    c.getName() + " mounts " + m.getMountPath() + ", which extraMounts may cover: add it to ExtraMount.RESERVED"));
        }
        assertTrue(new ExtraMount("/etc/glance", "s", null, null).coversReserved(), "a parent hides the config directory");
        assertFalse(new ExtraMount("/etc/glance/policy.d", "s", null, null).coversReserved());

        client.resources(GlanceAPI.class).inNamespace(ns).withName(TLS).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"extraMounts\":[{\"mountPath\":\"/etc/ceph\",\"secretName\":\"extra-ca\"},"
                        + "{\"mountPath\":\"/etc/pki/x\",\"secretName\":\"absent\"}]}}");
        await().atMost(TIMEOUT).until(() -> !StatusConditions.isTrue(api(ns), "ConfigReady"));
        String message = StatusConditions.get(api(ns), "ConfigReady").getMessage();
        assertTrue(message.contains("spec.extraMounts[0].mountPath: mountPath /etc/ceph must not be"), message);
        assertTrue(message.contains("spec.extraMounts[1].secretName: Secret \"absent\" not found"), message);
        assertNotEquals(null, sts(ns));
    }
}
