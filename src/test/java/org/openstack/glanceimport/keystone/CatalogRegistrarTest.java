package org.openstack.glanceimport.keystone;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.config.ServiceCredentials;
import org.openstack.glanceimport.support.FakeKeystone;

/** The catalogue logic against an in-memory Keystone: first creates, then reads only, updates in place, touches only its own. */
class CatalogRegistrarTest {

    private static final String OWNER = "openstack/glance";
    private FakeKeystone keystone;

    @BeforeEach
    void start() throws Exception {
        keystone = new FakeKeystone("admin", "s3cret");
    }

    @AfterEach
    void stop() {
        keystone.close();
    }

    private CatalogRegistrar registrar(String password) {
        var ks = new ServiceCredentials.Keystone(keystone.authUrl(), "admin", password, "admin", "Default", "Default", null);
        return new CatalogRegistrar(new KeystoneCatalog(new KeystoneCatalog.AdminCredentials(ks, false, null)));
    }

    private static CatalogEntries wanted(Map<String, String> urls) {
        return new CatalogEntries(OWNER, "glance", "OpenStack Image", "RegionOne", urls);
    }

    private static final Map<String, String> BOTH = Map.of("internal", "http://glance.openstack.svc:9292",
            "public", "https://glance.example.com");

    @Test
    void firstCreatesServiceAndEndpointsThenASecondRunSendsNoWrite() throws Exception {
        CatalogRegistrar.Registered first = registrar("s3cret").ensure(wanted(BOTH));
        assertEquals(List.of("POST /v3/services", "POST /v3/endpoints", "POST /v3/endpoints"), keystone.writes());
        assertEquals(3, first.writes());
        assertTrue(first.serviceCreated());
        assertEquals(2, first.endpointIds().size());
        var service = keystone.services.get(first.serviceId());
        assertEquals("image", service.get("type"));
        assertEquals(OWNER, service.get(CatalogEntries.OWNER_ATTRIBUTE));
        keystone.endpoints.values().forEach(e -> {
            assertEquals(OWNER, e.get(CatalogEntries.OWNER_ATTRIBUTE));
            assertEquals("RegionOne", e.get("region_id"));
            assertEquals(BOTH.get((String) e.get("interface")), e.get("url"));
        });

        keystone.requests.clear();
        CatalogRegistrar.Registered second = registrar("s3cret").ensure(wanted(BOTH));
        assertEquals(List.of(), keystone.writes(), "steady state: reads only");
        assertEquals(0, second.writes());
        assertEquals(first.endpointIds(), second.endpointIds());
        assertEquals(first.serviceId(), second.serviceId());
    }

    @Test
    void aChangedUrlIsUpdatedInPlaceAndAnInterfaceNoLongerWantedGoes() throws Exception {
        var first = registrar("s3cret").ensure(wanted(BOTH));
        keystone.requests.clear();
        var moved = registrar("s3cret").ensure(wanted(Map.of("internal", "http://glance.openstack.svc:9393",
                "public", "https://glance.example.com")));
        assertEquals(List.of("PATCH /v3/endpoints/" + first.endpointIds().get("internal")), keystone.writes());
        assertEquals(first.endpointIds(), moved.endpointIds(), "same endpoint, new URL");
        assertEquals("http://glance.openstack.svc:9393", keystone.endpoints.get(first.endpointIds().get("internal")).get("url"));

        keystone.requests.clear();
        registrar("s3cret").ensure(wanted(Map.of("internal", "http://glance.openstack.svc:9393")));
        assertEquals(List.of("DELETE /v3/endpoints/" + first.endpointIds().get("public")), keystone.writes());
    }

    @Test
    void entriesItDidNotCreateAreNeverChangedNorDeleted() throws Exception {
        String theirService = keystone.add(keystone.services, Map.of("type", "image", "name", "glance", "description", "by hand"));
        String theirPublic = keystone.add(keystone.endpoints, Map.of("service_id", theirService, "interface", "public",
                "url", "https://old.example.com", "region_id", "RegionOne"));
        var r = registrar("s3cret").ensure(wanted(BOTH));
        assertEquals(theirService, r.serviceId(), "the image service of that name is used as it is");
        assertFalse(r.serviceCreated());
        assertEquals(List.of("public"), r.foreign());
        assertEquals(List.of("internal"), List.copyOf(r.endpointIds().keySet()));
        assertEquals("https://old.example.com", keystone.endpoints.get(theirPublic).get("url"), "not touched");
        assertEquals("by hand", keystone.services.get(theirService).get("description"));

        keystone.requests.clear();
        registrar("s3cret").remove(OWNER);
        assertEquals(List.of("DELETE /v3/endpoints/" + r.endpointIds().get("internal")), keystone.writes());
        assertTrue(keystone.services.containsKey(theirService), "their service stays");
        assertTrue(keystone.endpoints.containsKey(theirPublic), "their endpoint stays");
    }

    @Test
    void removeDeletesItsEndpointsThenItsService() throws Exception {
        var r = registrar("s3cret").ensure(wanted(BOTH));
        registrar("s3cret").remove("other-ns/glance");
        assertEquals(2, keystone.endpoints.size(), "another GlanceAPI's mark removes nothing of this one");
        keystone.requests.clear();
        registrar("s3cret").remove(OWNER);
        assertEquals(3, keystone.writes().size(), keystone.writes().toString());
        assertEquals("DELETE /v3/services/" + r.serviceId(), keystone.writes().get(2));
        assertTrue(keystone.services.isEmpty() && keystone.endpoints.isEmpty());
    }

    @Test
    void refusalsCarryKeystonesStatusAndMessage() {
        KeystoneFailure wrongPassword = assertThrows(KeystoneFailure.class, () -> registrar("wrong").ensure(wanted(BOTH)));
        assertTrue(wrongPassword.refused());
        assertTrue(wrongPassword.getMessage().contains("401 The request you have made requires authentication"), wrongPassword.getMessage());
        assertFalse(wrongPassword.getMessage().contains("wrong"), "no password in messages");
        keystone.refuse = true;
        KeystoneFailure forbidden = assertThrows(KeystoneFailure.class, () -> registrar("s3cret").ensure(wanted(BOTH)));
        assertEquals(403, forbidden.status());
        assertTrue(forbidden.getMessage().contains("identity:create_service"), forbidden.getMessage());
        keystone.close();
        KeystoneFailure down = assertThrows(KeystoneFailure.class, () -> registrar("s3cret").ensure(wanted(BOTH)));
        assertTrue(down.unreachable(), down.getMessage());
    }

    @Test
    void backoffDoublesUpToItsBound() {
        var schedule = new RegistrationSchedule(java.time.Duration.ofMinutes(10), java.time.Duration.ofSeconds(10),
                java.time.Duration.ofMinutes(5));
        assertEquals(List.of(10L, 20L, 40L, 80L, 160L, 300L, 300L), java.util.stream.IntStream.rangeClosed(1, 7)
                .mapToObj(n -> schedule.backoff(n).toSeconds()).toList());
    }
}
