package org.openstack.glanceimport.controller;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.StatusConditions;
import org.openstack.glanceimport.support.kube.AsUser;
import org.openstack.glanceimport.support.objectstores.FakeS3;
import org.openstack.glanceimport.support.objectstores.FakeSwift;

/**
 * An object store the operator cannot use, on the operator: the samples' s3 and swift GlanceAPIs pointed at in-process
 * fakes that refuse them. The store's check fails before anything is rendered, so ConfigReady is False with the check's
 * reason, a Warning Event says so, and no StatefulSet exists; the fix (a corrected Secret, which the operator watches,
 * or a spec change) rolls it out without waiting for the 30 s re-check.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
class ObjectStoreProblemsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Well inside the 30 s after which a failed check is asked again: what happens sooner was announced by a watch. */
    private static final Duration BEFORE_RECHECK = Duration.ofSeconds(20);
    private static final String ACCESS_KEY = "AK-PROBLEM-5c2e";
    private static final String SECRET_KEY = "SK-PROBLEM-right-7f31";
    private static final String WRONG_SECRET_KEY = "SK-PROBLEM-wrong-0d94";

    @Inject
    @AsUser
    KubernetesClient client;

    private GlanceAPI apply(String ns, String sample, Consumer<GlanceAPI> edit, String secretName, String... secretData) {
        Samples.apply(client, ns, "minimal.yaml", item -> !"GlanceAPI".equals(item.getKind()));
        client.resource(Samples.secret(ns, secretName, secretData)).create();
        GlanceAPI api = Samples.glanceApi(client, sample);
        api.getMetadata().setNamespace(ns);
        edit.accept(api);
        return client.resource(api).inNamespace(ns).create();
    }

    private GlanceAPI api(String ns, String name) {
        return client.resources(GlanceAPI.class).inNamespace(ns).withName(name).get();
    }

    private StatefulSet sts(String ns, String name) {
        return client.apps().statefulSets().inNamespace(ns).withName(name).get();
    }

    private List<Event> warnings(String ns, String reason) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> "Warning".equals(e.getType()) && reason.equals(e.getReason())).toList();
    }

    /** Waits for ConfigReady with {@code reason} and returns it, checking it is False. */
    private Condition refused(String ns, String name, String reason) {
        await().atMost(TIMEOUT).until(() -> StatusConditions.of(api(ns, name), Conditions.CONFIG_READY)
                .map(c -> reason.equals(c.getReason())).orElse(false));
        Condition c = StatusConditions.get(api(ns, name), Conditions.CONFIG_READY);
        assertEquals("False", c.getStatus());
        assertFalse(StatusConditions.isTrue(api(ns, name), Conditions.READY));
        await().atMost(TIMEOUT).until(() -> !warnings(ns, reason).isEmpty());
        assertNull(sts(ns, name), "nothing rolled out");
        return c;
    }

    @Test
    void aWrongS3SecretKeyIsRefusedNamingTheSecretUntilTheSecretIsFixed() throws Exception {
        String ns = "s3-refused";
        try (FakeS3 s3 = new FakeS3("us-east-1")) {
            s3.users.put(ACCESS_KEY, SECRET_KEY);
            s3.buckets.put("glance-images", ACCESS_KEY);
            apply(ns, "s3.yaml", api -> api.getSpec().stores.get(0).s3.endpoint = s3.endpoint(),
                    "s3-glance", "access_key", ACCESS_KEY, "secret_key", WRONG_SECRET_KEY);

            Condition c = refused(ns, "glance-s3", "S3CredentialsRefused");
            String message = c.getMessage();
            assertTrue(message.startsWith("spec.stores[0].s3.secretName: "), message);
            assertTrue(message.contains("Secret \"s3-glance\"") && message.contains("SignatureDoesNotMatch"), message);
            Event event = warnings(ns, "S3CredentialsRefused").get(0);
            assertTrue(event.getMessage().contains("spec.stores[0].s3.secretName"), event.getMessage());
            for (String said : List.of(message, event.getMessage(), Serialization.asJson(api(ns, "glance-s3").getStatus()))) {
                for (String value : List.of(ACCESS_KEY, SECRET_KEY, WRONG_SECRET_KEY)) {
                    assertFalse(said.contains(value), "a Secret value in: " + said);
                }
            }
            assertTrue(s3.requests.contains("GET /glance-images?location"), s3.requests.toString());

            // the fix: the Secret the message names gets the right key; the operator watches it
            client.secrets().inNamespace(ns).withName("s3-glance")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"stringData\":{\"secret_key\":\"" + SECRET_KEY + "\"}}");
            await().atMost(BEFORE_RECHECK).until(() -> sts(ns, "glance-s3") != null);
            await().atMost(TIMEOUT).until(() -> StatusConditions.isTrue(api(ns, "glance-s3"), Conditions.CONFIG_READY));
        }
    }

    @Test
    void aMissingSwiftContainerGlanceMayNotCreateIsRefusedUntilItMay() throws Exception {
        String ns = "swift-missing";
        try (FakeSwift swift = new FakeSwift("glance")) {
            apply(ns, "swift.yaml", api -> {
                api.getSpec().stores.get(0).swift.authAddress = swift.url() + "/v3";
                api.getSpec().stores.get(0).swift.createContainer = false;
            }, "swift-glance", "user", "glance", "key", FakeSwift.KEY, "project_name", FakeSwift.PROJECT);

            Condition c = refused(ns, "glance-swift", "SwiftContainerMissing");
            assertTrue(c.getMessage().startsWith("spec.stores[0].swift.container: store \"swift\": "), c.getMessage());
            assertTrue(c.getMessage().contains("createContainer is false"), c.getMessage());
            assertFalse(c.getMessage().contains(FakeSwift.KEY), c.getMessage());
            assertTrue(swift.requests.contains("HEAD /swift/v1/glance"), swift.requests.toString());

            // the fix the message offers: Glance may create the container on its first upload
            client.resources(GlanceAPI.class).inNamespace(ns).withName("glance-swift").edit(api -> {
                api.getSpec().stores.get(0).swift.createContainer = true;
                return api;
            });
            await().atMost(BEFORE_RECHECK).until(() -> sts(ns, "glance-swift") != null);
        }
    }
}
