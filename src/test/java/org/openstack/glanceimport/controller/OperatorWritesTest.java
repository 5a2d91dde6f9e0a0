package org.openstack.glanceimport.controller;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.OperatorException;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.GlanceAPIStatus;
import org.openstack.glanceimport.api.GlanceImportStaging;
import org.openstack.glanceimport.status.ReconcileFailure;
import org.openstack.glanceimport.status.StatusPatch;

/**
 * What the operator sends about its primary resources, in the form production sends it. The tests run with
 * server-side apply off (the mock server has none), so the bodies of the production path are asserted here.
 */
class OperatorWritesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * JOSDK adds a finalizer by server-side applying {@code getClass().getConstructor().newInstance()} with name,
     * namespace and the finalizer, with force. Whatever spec that instance carries overwrites the user's.
     */
    @Test
    void theResourceJosdkConstructsForItsFinalizerApplyCarriesNoSpec() throws Exception {
        for (Class<?> type : List.of(GlanceAPI.class, GlanceImportStaging.class)) {
            var resource = (CustomResource<?, ?>) type.getConstructor().newInstance();
            ObjectMeta meta = new ObjectMeta();
            meta.setName("x");
            meta.setNamespace("ns");
            resource.setMetadata(meta);
            resource.addFinalizer("glanceimportstagings.import.glance.openstack.org/finalizer");
            JsonNode body = JSON.readTree(Serialization.asJson(resource));
            assertFalse(body.has("spec"), type.getSimpleName() + " would apply " + body.get("spec"));
            assertFalse(body.has("status") && !body.get("status").isNull() && body.get("status").size() > 0, body.toString());
            assertEquals(Map.of("name", "x", "namespace", "ns"), Map.of("name", body.at("/metadata/name").asText(), "namespace",
                    body.at("/metadata/namespace").asText()));
        }
    }

    @Test
    void aStatusWriteCarriesIdentityAndStatusOnly() throws Exception {
        GlanceAPI api = new GlanceAPI();
        api.setSpec(new GlanceAPISpec());
        api.getSpec().replicas = 3;
        api.getMetadata().setName("g");
        api.getMetadata().setNamespace("ns");
        api.getMetadata().setResourceVersion("42");
        api.getMetadata().setLabels(Map.of("a", "b"));
        GlanceAPIStatus status = new GlanceAPIStatus();
        status.readyReplicas = 2;
        JsonNode body = JSON.readTree(Serialization.asJson(StatusPatch.statusOnly(api, status)));
        assertFalse(body.has("spec"), body.toString());
        assertEquals("42", body.at("/metadata/resourceVersion").asText(), "optimistic locking kept");
        assertEquals(2, body.at("/status/readyReplicas").asInt());
        assertTrue(body.at("/metadata/labels").isMissingNode(), "nothing but identity in metadata");
        assertEquals(3, api.getSpec().replicas, "the resource itself is untouched");
    }

    @Test
    void anApiServerRefusalNamesTheObjectReasonAndFieldNotAnExceptionClass() {
        KubernetesClientException refused = new KubernetesClientException(new StatusBuilder().withCode(422).withReason("Invalid")
                .withMessage("Job.batch \"x-db-sync-0123456789\" is invalid: ...").withNewDetails().withKind("Job")
                .withName("x-db-sync-0123456789").withCauses(new StatusCauseBuilder().withField("metadata.labels")
                        .withMessage("Invalid value: \"x-db-sync-0123456789\": must be no more than 63 characters").build())
                .endDetails().build());
        // as JOSDK hands it over: the workflow's aggregate inside an OperatorException
        ReconcileFailure failure = ReconcileFailure.of(new OperatorException(
                new AggregatedOperatorException("Exception(s) during workflow execution.", Map.of("db-sync", new RuntimeException(refused)))));
        assertEquals("APIServerRefused", failure.reason());
        assertEquals("the API server refused Job x-db-sync-0123456789 (422 Invalid): metadata.labels: Invalid value: "
                + "\"x-db-sync-0123456789\": must be no more than 63 characters", failure.message());

        ReconcileFailure other = ReconcileFailure.of(new AggregatedOperatorException("Exception(s) during workflow execution.",
                Map.of("statefulset", new IllegalStateException("boom\n\tat some.Frame"))));
        assertEquals("ReconcileError", other.reason());
        assertEquals("dependent statefulset: boom", other.message());
        assertFalse(other.message().contains("Exception"), other.message());
        assertEquals("reconcile: unexpected failure (the operator log has the details)", ReconcileFailure.of(new RuntimeException()).message());
    }
}
