package org.openstack.glanceimport.keystone;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.exposure.Endpoints;
import org.openstack.glanceimport.api.keystone.KeystoneRegistration;

/** keystone-operator's KeystoneService and KeystoneEndpoint as the operator writes them (their Go types' JSON names). */
class KeystoneOperatorObjectsTest {

    private static GlanceAPI api() {
        GlanceAPI api = new GlanceAPI();
        api.setMetadata(new ObjectMetaBuilder().withName("glance").withNamespace("openstack").withUid("uid-1").build());
        api.setSpec(new GlanceAPISpec());
        api.getSpec().keystoneSecret = "glance-keystone";
        api.getSpec().keystoneRegistration = new KeystoneRegistration();
        api.getSpec().keystoneRegistration.enabled = true;
        return api;
    }

    @Test
    void serviceAndEndpointCarryTheCatalogueAndAreOwnedByTheGlanceApi() {
        GlanceAPI api = api();
        CatalogEntries entries = CatalogEntries.of(api, new Endpoints("http://glance.openstack.svc:9292", "https://glance.example.com", null));
        GenericKubernetesResource service = KeystoneOperatorObjects.service(api, entries, "glance");
        assertEquals("keystone.openstack.org/v1beta1", service.getApiVersion());
        assertEquals("KeystoneService", service.getKind());
        assertEquals(Map.of("serviceType", "image", "serviceName", "glance", "serviceDescription", "OpenStack Image", "enabled", true,
                "serviceUser", "glance", "secret", "glance-keystone", "passwordSelector", "password"),
                service.getAdditionalProperties().get("spec"));
        GenericKubernetesResource endpoint = KeystoneOperatorObjects.endpoint(api, entries);
        assertEquals("KeystoneEndpoint", endpoint.getKind());
        assertEquals(Map.of("serviceName", "glance", "endpoints", Map.of("internal", "http://glance.openstack.svc:9292",
                "public", "https://glance.example.com")), endpoint.getAdditionalProperties().get("spec"));
        for (GenericKubernetesResource o : List.of(service, endpoint)) {
            assertEquals("glance", o.getMetadata().getName());
            assertEquals("openstack", o.getMetadata().getNamespace());
            var owner = o.getMetadata().getOwnerReferences().get(0);
            assertEquals("uid-1", owner.getUid());
            assertEquals("GlanceAPI", owner.getKind());
            assertTrue(owner.getController());
        }
    }

    @Test
    void publicWaitsForItsUrlAndAChangedUrlIsAnotherSpec() {
        GlanceAPI api = api();
        var internalOnly = KeystoneOperatorObjects.endpoint(api, CatalogEntries.of(api, new Endpoints("http://glance.openstack.svc:9292", null,
                "no Route")));
        assertEquals(Map.of("internal", "http://glance.openstack.svc:9292"),
                ((Map<?, ?>) internalOnly.getAdditionalProperties().get("spec")).get("endpoints"));
        var both = KeystoneOperatorObjects.endpoint(api, CatalogEntries.of(api, new Endpoints("http://glance.openstack.svc:9292",
                "https://glance.example.com", null)));
        assertFalse(KeystoneOperatorObjects.sameSpec(internalOnly, both));
        assertTrue(KeystoneOperatorObjects.sameSpec(both, both));
    }

    @Test
    void readyOnlyWhenKeystoneOperatorSaysSo() {
        GlanceAPI api = api();
        var endpoint = KeystoneOperatorObjects.endpoint(api, CatalogEntries.of(api, new Endpoints("http://x:9292", null, null)));
        assertTrue(KeystoneOperatorObjects.readyMessage(endpoint).isEmpty());
        endpoint.getAdditionalProperties().put("status", Map.of("endpointIDs", Map.of("internal", "abc"),
                "conditions", List.of(Map.of("type", "Ready", "status", "True"))));
        assertEquals("endpoint ids {internal=abc}", KeystoneOperatorObjects.readyMessage(endpoint).orElseThrow());
    }
}
