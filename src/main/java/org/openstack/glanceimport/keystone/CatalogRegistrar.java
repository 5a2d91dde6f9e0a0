package org.openstack.glanceimport.keystone;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Makes Keystone's catalogue hold what a GlanceAPI wants, by reading it first: an entry that is already right gets no
 * request, a URL that changed is updated in place, and only entries carrying the GlanceAPI's owner mark are ever changed
 * or deleted. An image service of the wanted name that the operator did not create is used as it is (and kept on removal);
 * an endpoint of the same interface and region it did not create is reported, not touched.
 */
public final class CatalogRegistrar {

    /** The registration as Keystone now holds it. {@code foreign}: interfaces held by endpoints the operator did not create. */
    public record Registered(String serviceId, boolean serviceCreated, Map<String, String> endpointIds, List<String> foreign,
            int writes) {
    }

    private final KeystoneCatalog keystone;

    public CatalogRegistrar(KeystoneCatalog keystone) {
        this.keystone = keystone;
    }

    public Registered ensure(CatalogEntries wanted) throws KeystoneFailure {
        List<JsonNode> services = keystone.services(CatalogEntries.TYPE);
        Optional<JsonNode> ours = services.stream().filter(s -> owned(s, wanted.owner())).findFirst();
        String serviceId;
        boolean created;
        if (ours.isPresent()) {
            serviceId = ours.get().path("id").asText();
            created = true;
            Map<String, Object> changes = new LinkedHashMap<>();
            if (!wanted.name().equals(ours.get().path("name").asText())) {
                changes.put("name", wanted.name());
            }
            if (!wanted.description().equals(ours.get().path("description").asText())) {
                changes.put("description", wanted.description());
            }
            if (!ours.get().path("enabled").asBoolean(true)) {
                changes.put("enabled", true);
            }
            if (!changes.isEmpty()) {
                keystone.updateService(serviceId, changes);
            }
        } else {
            Optional<JsonNode> named = services.stream().filter(s -> wanted.name().equals(s.path("name").asText())).findFirst();
            if (named.isPresent()) {
                serviceId = named.get().path("id").asText();
                created = false;
            } else {
                Map<String, Object> service = new LinkedHashMap<>();
                service.put("type", CatalogEntries.TYPE);
                service.put("name", wanted.name());
                service.put("description", wanted.description());
                service.put("enabled", true);
                service.put(CatalogEntries.OWNER_ATTRIBUTE, wanted.owner());
                serviceId = keystone.createService(service).path("id").asText();
                created = true;
            }
        }
        Map<String, String> ids = new TreeMap<>();
        List<String> foreign = new ArrayList<>();
        List<JsonNode> endpoints = keystone.endpoints(serviceId);
        for (Map.Entry<String, String> e : wanted.urls().entrySet()) {
            String iface = e.getKey();
            Optional<JsonNode> mine = endpoints.stream().filter(p -> owned(p, wanted.owner()) && iface.equals(p.path("interface").asText())
                    && wanted.region().equals(region(p))).findFirst();
            if (mine.isPresent()) {
                String id = mine.get().path("id").asText();
                Map<String, Object> changes = new LinkedHashMap<>();
                if (!e.getValue().equals(mine.get().path("url").asText())) {
                    changes.put("url", e.getValue());
                }
                if (!mine.get().path("enabled").asBoolean(true)) {
                    changes.put("enabled", true);
                }
                if (!changes.isEmpty()) {
                    keystone.updateEndpoint(id, changes);
                }
                ids.put(iface, id);
            } else if (endpoints.stream().anyMatch(p -> iface.equals(p.path("interface").asText()) && wanted.region().equals(region(p)))) {
                foreign.add(iface);
            } else {
                Map<String, Object> endpoint = new LinkedHashMap<>();
                endpoint.put("service_id", serviceId);
                endpoint.put("interface", iface);
                endpoint.put("url", e.getValue());
                endpoint.put("region_id", wanted.region());
                endpoint.put("enabled", true);
                endpoint.put(CatalogEntries.OWNER_ATTRIBUTE, wanted.owner());
                ids.put(iface, keystone.createEndpoint(endpoint).path("id").asText());
            }
        }
        // the operator's endpoints that are no longer wanted (another region, an interface without a URL any more)
        for (JsonNode p : endpoints) {
            if (owned(p, wanted.owner()) && !ids.containsValue(p.path("id").asText())) {
                keystone.deleteEndpoint(p.path("id").asText());
            }
        }
        return new Registered(serviceId, created, ids, foreign, keystone.writes());
    }

    /** Deletes the owner's endpoints, and each service it created once no endpoint is left in it; returns the writes sent. */
    public int remove(String owner) throws KeystoneFailure {
        for (JsonNode service : keystone.services(CatalogEntries.TYPE)) {
            String id = service.path("id").asText();
            List<JsonNode> endpoints = keystone.endpoints(id);
            int left = endpoints.size();
            for (JsonNode p : endpoints) {
                if (owned(p, owner)) {
                    keystone.deleteEndpoint(p.path("id").asText());
                    left--;
                }
            }
            if (owned(service, owner) && left == 0) {
                keystone.deleteService(id);
            }
        }
        return keystone.writes();
    }

    static boolean owned(JsonNode entry, String owner) {
        return owner.equals(entry.path(CatalogEntries.OWNER_ATTRIBUTE).asText(null));
    }

    /** region_id since Keystone Newton; region, its old name, still returned beside it. */
    private static String region(JsonNode endpoint) {
        return endpoint.hasNonNull("region_id") ? endpoint.get("region_id").asText() : endpoint.path("region").asText();
    }
}
