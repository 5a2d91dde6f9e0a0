package org.openstack.glanceimport.realapi;

import java.util.Map;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.GlanceImportStaging;
import org.openstack.glanceimport.support.kube.RealApiServer;

/**
 * The CRDs as the chart ships them, on a real kube-apiserver 1.26 (the oldest Kubernetes supported): they are
 * accepted and established (a rule using a CEL library newer than 1.26 would fail their creation), the samples pass
 * their schema, and each CEL rule refuses the input it guards against with its own message (422), on create and, for
 * the transition rules, on update. The mock API server validates nothing; CelRulesTest evaluates the same rules with
 * another CEL implementation, this is the API server's own.
 */
class CrdsOnRealApiServerTest {

    private static final String NS = "cel";
    private static KubernetesClient admin;

    @BeforeAll
    static void namespace() {
        admin = RealApiServer.shared().admin();
        RealApiServer.shared().createNamespace(NS);
    }

    private static GenericKubernetesResource object(String kind, String name, String specJson) {
        return Serialization.unmarshal("{\"apiVersion\":\"" + GlanceAPI.GROUP + "/v1beta1\",\"kind\":\"" + kind + "\","
                + "\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + NS + "\"},\"spec\":" + specJson + "}",
                GenericKubernetesResource.class);
    }

    private static final String STORES = "\"stagingRef\":\"default\",\"databaseSecret\":\"db\",\"keystoneSecret\":\"ks\",\"stores\":";
    private static final String FILE_STORE = "[{\"name\":\"file\",\"type\":\"file\"}]";
    private static final String SHARED_FILE_STORE = "[{\"name\":\"file\",\"type\":\"file\",\"file\":{\"claimName\":\"images\"}}]";

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("GlanceAPI", "a-glance-api-name-far-too-long-for-its-cronjobs-x", "{" + STORES + FILE_STORE + "}",
                        GlanceAPI.NAME_LENGTH_MESSAGE),
                Arguments.of("GlanceAPI", "9glance", "{" + STORES + FILE_STORE + "}", GlanceAPI.NAME_FORMAT_MESSAGE),
                Arguments.of("GlanceAPI", "dup", "{" + STORES + "[{\"name\":\"a\",\"type\":\"file\"},{\"name\":\"a\",\"type\":\"file\"}]}",
                        "store names must be unique"),
                Arguments.of("GlanceAPI", "defaults", "{" + STORES + "[{\"name\":\"a\",\"type\":\"file\",\"default\":true},"
                        + "{\"name\":\"b\",\"type\":\"file\",\"default\":true}]}", "at most one store may be the default"),
                Arguments.of("GlanceAPI", "ini", "{" + STORES + "[{\"name\":\"default\",\"type\":\"file\"}]}",
                        "store name \"default\" is ambiguous"),
                Arguments.of("GlanceAPI", "norbd", "{" + STORES + "[{\"name\":\"ceph\",\"type\":\"rbd\"}]}",
                        "a store of type rbd requires the rbd section"),
                Arguments.of("GlanceAPI", "nos3", "{" + STORES + "[{\"name\":\"objects\",\"type\":\"s3\"}]}",
                        "a store of type s3 requires the s3 section"),
                Arguments.of("GlanceAPI", "noswift", "{" + STORES + "[{\"name\":\"objects\",\"type\":\"swift\"}]}",
                        "a store of type swift requires the swift section"),
                Arguments.of("GlanceAPI", "othersection", "{" + STORES + "[{\"name\":\"objects\",\"type\":\"s3\",\"s3\":{\"endpoint\":"
                        + "\"http://rgw:7480\",\"bucket\":\"images\",\"secretName\":\"s3\"},\"swift\":{\"authAddress\":\"http://rgw:7480/auth/1.0\","
                        + "\"secretName\":\"sw\"}}]}", "a store may only have the section of its own type"),
                Arguments.of("GlanceAPI", "tlsport", "{" + STORES + FILE_STORE + ",\"port\":19292,\"tls\":{\"secretName\":\"t\"}}",
                        "with tls, port 19292"),
                Arguments.of("GlanceAPI", "localfiles", "{" + STORES + FILE_STORE + ",\"replicas\":2}",
                        GlanceAPISpec.ONE_POD_FOR_LOCAL_FILES_MESSAGE),
                Arguments.of("GlanceAPI", "defaultstore", "{\"stagingRef\":\"default\",\"databaseSecret\":\"db\","
                        + "\"keystoneSecret\":\"ks\",\"autoscaling\":{\"maxReplicas\":3}}", GlanceAPISpec.ONE_POD_FOR_LOCAL_FILES_MESSAGE),
                Arguments.of("GlanceAPI", "mixedstores", "{" + STORES + "[{\"name\":\"shared\",\"type\":\"file\",\"file\":"
                        + "{\"claimName\":\"images\"}},{\"name\":\"local\",\"type\":\"file\"}],\"replicas\":3}",
                        GlanceAPISpec.ONE_POD_FOR_LOCAL_FILES_MESSAGE),
                Arguments.of("GlanceAPI", "autoscale", "{" + STORES + SHARED_FILE_STORE + ",\"autoscaling\":{\"minReplicas\":4,\"maxReplicas\":3}}",
                        "minReplicas must not exceed maxReplicas"),
                Arguments.of("GlanceAPI", "memcachedtwice", "{" + STORES + FILE_STORE + ",\"memcached\":{\"servers\":[\"mc:11211\",\"mc:11211\"]}}",
                        "memcached.servers must not list a server twice"),
                Arguments.of("GlanceAPI", "memcachedport", "{" + STORES + FILE_STORE + ",\"memcached\":{\"servers\":[\"memcached-0\"]}}",
                        "should match"),
                Arguments.of("GlanceAPI", "memcachednone", "{" + STORES + FILE_STORE + ",\"memcached\":{\"servers\":[]}}",
                        "should have at least 1 items"),
                Arguments.of("GlanceAPI", "ksmethod", "{" + STORES + FILE_STORE + ",\"keystoneRegistration\":{\"enabled\":true,"
                        + "\"method\":\"Magic\"}}", "Unsupported value: \"Magic\""),
                Arguments.of("GlanceAPI", "ksregion", "{" + STORES + FILE_STORE + ",\"keystoneRegistration\":{\"region\":\"Region One\"}}",
                        "should match"),
                Arguments.of("GlanceAPI", "autoscalemax", "{" + STORES + SHARED_FILE_STORE + ",\"autoscaling\":{\"minReplicas\":1}}",
                        "spec.autoscaling.maxReplicas: Required value"),
                Arguments.of("GlanceAPI", "timeout", "{" + STORES + FILE_STORE + ",\"apiTimeout\":-1}",
                        "spec.apiTimeout: Invalid value: -1: spec.apiTimeout in body should be greater than or equal to 5"),
                Arguments.of("GlanceAPI", "probe", "{" + STORES + FILE_STORE + ",\"probes\":{\"liveness\":{\"timeoutSeconds\":0}}}",
                        "spec.probes.liveness.timeoutSeconds in body should be greater than or equal to 1"),
                Arguments.of("GlanceAPI", "spread", "{" + STORES + FILE_STORE + ",\"topologySpreadConstraints\":[{\"maxSkew\":1,"
                        + "\"topologyKey\":\"topology.kubernetes.io/zone\",\"whenUnsatisfiable\":\"Later\"}]}",
                        "whenUnsatisfiable DoNotSchedule or ScheduleAnyway"),
                Arguments.of("GlanceAPI", "mountceph", "{" + STORES + FILE_STORE + ",\"extraMounts\":[{\"mountPath\":\"/etc/ceph\","
                        + "\"secretName\":\"x\"}]}", "mountPath must not be, hold or lie under a path the operator mounts"),
                Arguments.of("GlanceAPI", "mountparent", "{" + STORES + FILE_STORE + ",\"extraMounts\":[{\"mountPath\":\"/etc/glance\","
                        + "\"secretName\":\"x\"}]}", "mountPath must not be, hold or lie under a path the operator mounts"),
                Arguments.of("GlanceAPI", "mountboth", "{" + STORES + FILE_STORE + ",\"extraMounts\":[{\"mountPath\":\"/etc/x\","
                        + "\"secretName\":\"x\",\"configMapName\":\"y\"}]}", "an extra mount names either secretName or configMapName"),
                Arguments.of("GlanceAPI", "mountdots", "{" + STORES + FILE_STORE + ",\"extraMounts\":[{\"mountPath\":\"/etc/glance/../ceph\","
                        + "\"secretName\":\"x\"}]}", "spec.extraMounts[0].mountPath in body should match"),
                Arguments.of("GlanceAPI", "cfgtwice", "{" + STORES + FILE_STORE + ",\"customServiceConfigSecrets\":[\"a\",\"a\"]}",
                        "customServiceConfigSecrets must not name a Secret twice"),
                Arguments.of("GlanceAPI", "cfgname", "{" + STORES + FILE_STORE + ",\"customServiceConfigSecrets\":[\"Not_A_Name\"]}",
                        "spec.customServiceConfigSecrets[0] in body should match"),
                Arguments.of("GlanceAPI", "svctype", "{" + STORES + FILE_STORE + ",\"service\":{\"type\":\"ExternalName\"}}",
                        "spec.service.type: Unsupported value: \"ExternalName\""),
                Arguments.of("GlanceAPI", "lbip", "{" + STORES + FILE_STORE + ",\"service\":{\"type\":\"ClusterIP\","
                        + "\"loadBalancerIP\":\"192.0.2.10\"}}", "loadBalancerIP is only for type LoadBalancer"),
                Arguments.of("GlanceAPI", "lbipdefault", "{" + STORES + FILE_STORE + ",\"service\":{\"loadBalancerIP\":\"192.0.2.10\"}}",
                        "loadBalancerIP is only for type LoadBalancer"),
                Arguments.of("GlanceAPI", "etp", "{" + STORES + FILE_STORE + ",\"service\":{\"externalTrafficPolicy\":\"Local\"}}",
                        "externalTrafficPolicy is only for type LoadBalancer or NodePort"),
                Arguments.of("GlanceAPI", "svclabels", "{" + STORES + FILE_STORE + ",\"service\":{\"labels\":"
                        + "{\"app.kubernetes.io/name\":\"x\"}}}", "labels may not set the operator's own keys"),
                Arguments.of("GlanceAPI", "passthrough", "{" + STORES + FILE_STORE + ",\"route\":{\"termination\":\"passthrough\"}}",
                        "route.termination: passthrough and reencrypt need tls"),
                Arguments.of("GlanceAPI", "edgetls", "{" + STORES + FILE_STORE + ",\"route\":{},\"tls\":{\"secretName\":\"t\"}}",
                        "route.termination: passthrough and reencrypt need tls"),
                Arguments.of("GlanceAPI", "nadtwice", "{" + STORES + FILE_STORE + ",\"networkAttachments\":[\"openstack/storage\","
                        + "\"openstack/storage\"]}", "network attachments must be unique"),
                Arguments.of("GlanceAPI", "nadname", "{" + STORES + FILE_STORE + ",\"networkAttachments\":[\"storage@net1\"]}",
                        "spec.networkAttachments[0] in body should match"),
                Arguments.of("GlanceAPI", "dbtlsnoca", "{" + STORES + FILE_STORE + ",\"databaseTLS\":{}}",
                        "spec.databaseTLS.caSecretName: Required value"),
                Arguments.of("GlanceAPI", "dbtlsname", "{" + STORES + FILE_STORE + ",\"databaseTLS\":{\"caSecretName\":\"Not_A_Name\"}}",
                        "spec.databaseTLS.caSecretName in body should match"),
                Arguments.of("GlanceImportStaging", "a-staging-policy-name-that-is-far-too-long-to-be-a-label-value-x",
                        "{\"storage\":{\"size\":\"1Gi\"}}", GlanceImportStaging.NAME_LENGTH_MESSAGE),
                Arguments.of("GlanceImportStaging", "rwx", "{\"storage\":{\"size\":\"1Gi\",\"accessMode\":\"ReadWriteMany\"}}",
                        "accessMode ReadWriteMany requires allowShared: true"));
    }

    @ParameterizedTest
    @MethodSource
    void refused(String kind, String name, String spec, String message) {
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> admin.resource(object(kind, name, spec)).create(), kind + " " + name + " was accepted");
        assertEquals(422, e.getCode(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    /** Transition rules (oldSelf) run on update: a policy's class and access mode are fixed once its claims exist. */
    @Test
    void transitionRulesRefuseAChangedStorageClassOrAccessMode() {
        admin.resource(object("GlanceImportStaging", "fixed", "{\"storage\":{\"size\":\"1Gi\",\"storageClassName\":\"fast\"}}"))
                .create();
        var policy = admin.genericKubernetesResources(GlanceAPI.GROUP + "/v1beta1", "GlanceImportStaging").inNamespace(NS)
                .withName("fixed");
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> policy.patch(
                PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"storage\":{\"storageClassName\":\"slow\"}}}"));
        assertEquals(422, e.getCode());
        assertTrue(e.getMessage().contains("storageClassName cannot be changed"), e.getMessage());
        e = assertThrows(KubernetesClientException.class, () -> policy.patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"storage\":{\"accessMode\":\"ReadWriteOncePod\"}}}"));
        assertEquals(422, e.getCode());
        assertTrue(e.getMessage().contains("accessMode cannot be changed"), e.getMessage());
        policy.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"storage\":{\"size\":\"2Gi\"}}}");
    }

    /**
     * The scale subresource (kubectl scale, an HPA) is refused too: on 1.26 the server runs the CRD's rules on the
     * object the new replicas make. The operator's own limit (LocalFileStoreLimit) covers CRDs without CEL.
     */
    @Test
    void aPodLocalFileStoreIsNotScaledPastOnePod() {
        admin.resource(object("GlanceAPI", "scaled", "{" + STORES + FILE_STORE + "}")).create();
        var api = admin.genericKubernetesResources(GlanceAPI.GROUP + "/v1beta1", "GlanceAPI").inNamespace(NS).withName("scaled");
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> api.scale(2));
        assertEquals(422, e.getCode(), e.getMessage());
        assertTrue(e.getMessage().contains(GlanceAPISpec.ONE_POD_FOR_LOCAL_FILES_MESSAGE), e.getMessage());
        e = assertThrows(KubernetesClientException.class,
                () -> api.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":3}}"));
        assertTrue(e.getMessage().contains(GlanceAPISpec.ONE_POD_FOR_LOCAL_FILES_MESSAGE), e.getMessage());
        assertEquals(1L, ((Number) ((java.util.Map<?, ?>) api.get().getAdditionalProperties().get("spec")).get("replicas")).longValue());
        // the fix the message names is accepted in one edit
        api.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":3,\"stores\":" + SHARED_FILE_STORE + "}}");
    }

    /** Each rbd store may name its own Ceph Secret: one GlanceAPI serves several Ceph clusters. */
    @Test
    void rbdStoresOnTwoCephSecretsAreAccepted() {
        admin.resource(object("GlanceAPI", "twoceph", "{" + STORES + "[{\"name\":\"a\",\"type\":\"rbd\",\"rbd\":{\"secretName\":\"c1\","
                + "\"pool\":\"p\",\"user\":\"u\"}},{\"name\":\"b\",\"type\":\"rbd\",\"rbd\":{\"secretName\":\"c2\",\"pool\":\"q\","
                + "\"user\":\"u\"}}]}")).dryRun().create();
    }

    /** spec.databaseTLS is kept as written (not pruned): the operator reads the CA Secret it names. */
    @Test
    void databaseTlsIsStored() {
        var stored = admin.resource(object("GlanceAPI", "dbtls", "{" + STORES + FILE_STORE
                + ",\"databaseTLS\":{\"caSecretName\":\"galera-ca\"}}")).dryRun().create();
        assertEquals(Map.of("caSecretName", "galera-ca"), ((Map<?, ?>) stored.getAdditionalProperties().get("spec")).get("databaseTLS"));
    }

    /** What users apply first passes the schema and every rule. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = { "minimal.yaml", "ceph.yaml", "production.yaml", "scaled.yaml", "autoscaling.yaml",
        "shared-file.yaml", "s3.yaml", "swift.yaml" })
    void samplesAreAccepted(String sample) throws Exception {
        String ns = "samples-" + sample.replace(".yaml", "");
        RealApiServer.shared().createNamespace(ns);
        try (var in = new java.io.FileInputStream("samples/" + sample)) {
            var items = admin.load(in).items().stream().filter(i -> i.getApiVersion().startsWith(GlanceAPI.GROUP)).toList();
            assertTrue(!items.isEmpty());
            // a dry run: the schema and rules are checked, nothing is stored for the operator to act on
            items.forEach(i -> admin.resource(i).inNamespace(ns).dryRun().create());
        }
    }
}
