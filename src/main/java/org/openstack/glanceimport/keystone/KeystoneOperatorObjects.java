package org.openstack.glanceimport.keystone;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.naming.Names;

/**
 * keystone-operator's KeystoneService and KeystoneEndpoint (keystone.openstack.org/v1beta1), named after the GlanceAPI
 * and owned by it, so Kubernetes deletes them with it and keystone-operator then removes the catalogue entries. The
 * KeystoneService names the glance user and the keystoneSecret's password key: keystone-operator (re)creates that user
 * and gives it the admin role on its service project.
 */
public final class KeystoneOperatorObjects {

    public static final String GROUP = "keystone.openstack.org";
    public static final String API_VERSION = GROUP + "/v1beta1";
    public static final String SERVICE_KIND = "KeystoneService";
    public static final String ENDPOINT_KIND = "KeystoneEndpoint";
    public static final String SERVICE_RESOURCE = "keystoneservices";
    public static final String ENDPOINT_RESOURCE = "keystoneendpoints";

    private KeystoneOperatorObjects() {
    }

    /** @param serviceUser the glance user of keystoneSecret, whose key "password" holds its password */
    public static GenericKubernetesResource service(GlanceAPI api, CatalogEntries wanted, String serviceUser) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("serviceType", CatalogEntries.TYPE);
        spec.put("serviceName", wanted.name());
        spec.put("serviceDescription", wanted.description());
        spec.put("enabled", true);
        spec.put("serviceUser", serviceUser);
        spec.put("secret", api.getSpec().keystoneSecret);
        spec.put("passwordSelector", "password");
        return object(api, SERVICE_KIND, spec);
    }

    public static GenericKubernetesResource endpoint(GlanceAPI api, CatalogEntries wanted) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("serviceName", wanted.name());
        spec.put("endpoints", new LinkedHashMap<>(wanted.urls()));
        return object(api, ENDPOINT_KIND, spec);
    }

    private static GenericKubernetesResource object(GlanceAPI api, String kind, Map<String, Object> spec) {
        ObjectMeta meta = Names.metadata(api, api.getMetadata().getName());
        meta.setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion(api.getApiVersion()).withKind(api.getKind())
                .withName(api.getMetadata().getName()).withUid(api.getMetadata().getUid()).withController(true)
                .withBlockOwnerDeletion(false).build()));
        return new GenericKubernetesResourceBuilder().withApiVersion(API_VERSION).withKind(kind).withMetadata(meta)
                .addToAdditionalProperties("spec", spec).build();
    }

    /** keystone-operator's word that the endpoints are registered: its Ready condition True, with the endpoint ids. */
    @SuppressWarnings("unchecked")
    public static Optional<String> readyMessage(GenericKubernetesResource endpoint) {
        Object status = endpoint == null ? null : endpoint.getAdditionalProperties().get("status");
        if (!(status instanceof Map)) {
            return Optional.empty();
        }
        Map<String, Object> s = (Map<String, Object>) status;
        Object conditions = s.get("conditions");
        boolean ready = conditions instanceof List<?> list && list.stream().anyMatch(c -> c instanceof Map<?, ?> m
                && "Ready".equals(m.get("type")) && "True".equals(m.get("status")));
        return ready ? Optional.of("endpoint ids " + s.getOrDefault("endpointIDs", Map.of())) : Optional.empty();
    }

    /** Whether the object in the cluster already has the spec wanted (keystone-operator writes only its status). */
    @SuppressWarnings("unchecked")
    public static boolean sameSpec(GenericKubernetesResource actual, GenericKubernetesResource wanted) {
        Object a = actual.getAdditionalProperties().get("spec");
        Object w = wanted.getAdditionalProperties().get("spec");
        return a instanceof Map && ((Map<String, Object>) a).entrySet().containsAll(((Map<String, Object>) w).entrySet());
    }
}
