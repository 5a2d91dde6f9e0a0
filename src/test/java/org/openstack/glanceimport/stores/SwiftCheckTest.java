package org.openstack.glanceimport.stores;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.openstack.glanceimport.api.stores.SwiftBackend;
import org.openstack.glanceimport.support.objectstores.FakeSwift;
import org.openstack.glanceimport.validation.InputProblem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openstack.glanceimport.stores.StoreSpecs.assertNoSecretIn;
import static org.openstack.glanceimport.stores.StoreSpecs.spec;
import static org.openstack.glanceimport.support.objectstores.StoreBuilders.swift;

/** Each outcome of the Swift check, with v1 and Keystone v3 logins, against a fake Swift. */
class SwiftCheckTest {

    private FakeSwift fake;
    private final Map<String, Map<String, String>> secrets = new HashMap<>();
    private ObjectStoreChecks checks;

    @BeforeEach
    void start() throws IOException {
        fake = new FakeSwift();
        fake.containers.put("glance", FakeSwift.Container.OWN);
        fake.containers.put("images of others", FakeSwift.Container.FOREIGN);
        secrets.put("swift-v1", Map.of("user", FakeSwift.USER, "key", FakeSwift.KEY));
        secrets.put("swift-v3", Map.of("user", FakeSwift.USER, "key", FakeSwift.KEY, "project_name", FakeSwift.PROJECT));
        checks = new ObjectStoreChecks(new StoreSpecs.MutableClock(StoreSpecs.T0), new StoreHttp());
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private List<InputProblem> check(SwiftBackend swift) {
        List<InputProblem> problems = checks.check(spec(swift), secrets::get);
        assertNoSecretIn(problems, secrets);
        return problems;
    }

    private SwiftBackend v1(String container) {
        return swift(fake.url() + "/auth/1.0", "1", container, "swift-v1");
    }

    private SwiftBackend v3(String container) {
        return swift(fake.url() + "/v3", "3", container, "swift-v3");
    }

    @Test
    void v1LoginThenTheContainer() {
        assertEquals(List.of(), check(v1("glance")));
        assertEquals(List.of("GET /auth/1.0", "HEAD /swift/v1/glance"), fake.requests);
    }

    @Test
    void v3LoginUsesTheCatalogsPublicObjectStore() {
        assertEquals(List.of(), check(v3("glance")));
        assertEquals(List.of("POST /v3/auth/tokens", "HEAD /swift/v1/glance"), fake.requests);
    }

    @Test
    void refusedCredentialsNameTheSecret() {
        secrets.put("swift-v1", Map.of("user", FakeSwift.USER, "key", "wrong-key-value"));
        secrets.put("swift-v3", Map.of("user", FakeSwift.USER, "key", FakeSwift.KEY, "project_name", "admin"));
        for (SwiftBackend swift : List.of(v1("glance"), v3("glance"))) {
            InputProblem p = check(swift).get(0);
            assertEquals("SwiftCredentialsRefused", p.reason());
            assertEquals("spec.stores[1].swift.secretName", p.field());
            assertTrue(p.message().contains("Secret \"" + swift.secretName + "\"") && p.message().contains("HTTP 401"), p.message());
        }
    }

    @Test
    void aMissingContainerIsAProblemOnlyWhenGlanceMayNotCreateIt() {
        SwiftBackend swift = v3("absent");
        assertEquals(List.of(), check(swift));
        swift.createContainer = false;
        InputProblem p = check(swift).get(0);
        assertEquals("SwiftContainerMissing", p.reason());
        assertEquals("spec.stores[1].swift.container", p.field());
        assertTrue(p.message().contains("container \"absent\" at " + fake.url() + "/swift/v1 does not exist"), p.message());
    }

    @Test
    void aForbiddenContainerIsNamedWithItsNameEncodedOnTheWire() {
        InputProblem p = check(v1("images of others")).get(0);
        assertEquals("SwiftContainerForbidden", p.reason());
        assertEquals("spec.stores[1].swift.container", p.field());
        assertTrue(fake.requests.contains("HEAD /swift/v1/images%20of%20others"), fake.requests.toString());
    }

    @Test
    void noObjectStoreInTheCatalogPassesWithoutAContainerCheck() {
        fake.catalogHasSwift = false;
        SwiftBackend swift = v3("absent");
        swift.createContainer = false;
        assertEquals(List.of(), check(swift));
        assertEquals(List.of("POST /v3/auth/tokens"), fake.requests);
    }

    @Test
    void anAuthAddressNobodyListensOnIsUnreachable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        InputProblem p = check(swift("http://127.0.0.1:" + port + "/auth/1.0", "1", "glance", "swift-v1")).get(0);
        assertEquals("SwiftAuthUnreachable", p.reason());
        assertEquals("spec.stores[1].swift.authAddress", p.field());
        assertTrue(p.message().contains("http://127.0.0.1:" + port + "/auth/1.0 cannot be reached"), p.message());
    }

    @Test
    void aV3ProjectlessSecretIsLeftToTheSecretChecks() {
        secrets.put("swift-v3", Map.of("user", FakeSwift.USER, "key", FakeSwift.KEY));
        assertEquals(List.of(), check(v3("glance")));
        assertEquals(List.of(), fake.requests);
    }
}
