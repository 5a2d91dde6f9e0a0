package org.openstack.glanceimport.keystone;

import java.util.Map;
import java.util.TreeMap;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.exposure.Endpoints;
import org.openstack.glanceimport.api.keystone.KeystoneRegistration;

/**
 * What a GlanceAPI wants in Keystone's catalogue: the image service and an endpoint per interface whose URL is known
 * (public only once status.endpoints has one). {@code owner} marks what the operator creates (an extra attribute
 * Keystone stores and returns), so that it never changes or deletes an entry it did not make.
 */
public record CatalogEntries(String owner, String name, String description, String region, Map<String, String> urls) {

    public static final String TYPE = "image";
    /** The extra attribute on services and endpoints the operator created: namespace/name of the GlanceAPI. */
    public static final String OWNER_ATTRIBUTE = "glance_import_operator_owner";

    public CatalogEntries {
        urls = new TreeMap<>(urls);
    }

    public static CatalogEntries of(GlanceAPI api, Endpoints endpoints) {
        KeystoneRegistration reg = api.getSpec().keystoneRegistration;
        Map<String, String> urls = new TreeMap<>();
        if (endpoints != null && endpoints.internal != null) {
            urls.put("internal", endpoints.internal);
        }
        if (endpoints != null && endpoints.publicUrl != null) {
            urls.put("public", endpoints.publicUrl);
        }
        return new CatalogEntries(owner(api), reg.serviceNameOrDefault(), reg.descriptionOrDefault(), reg.regionOrDefault(), urls);
    }

    public static String owner(GlanceAPI api) {
        return api.getMetadata().getNamespace() + "/" + api.getMetadata().getName();
    }
}
