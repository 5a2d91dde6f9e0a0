package org.openstack.glanceimport.stores;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.stores.S3Backend;
import org.openstack.glanceimport.support.objectstores.FakeS3;
import org.openstack.glanceimport.support.objectstores.FakeSwift;
import org.openstack.glanceimport.validation.InputProblem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openstack.glanceimport.support.objectstores.StoreBuilders.s3;
import static org.openstack.glanceimport.stores.StoreSpecs.spec;
import static org.openstack.glanceimport.support.objectstores.StoreBuilders.swift;

/** What the entry point asks when: which stores it checks, and what its cache spares the endpoints. */
class ObjectStoreChecksTest {

    private FakeS3 s3;
    private FakeSwift swift;
    private final StoreSpecs.MutableClock clock = new StoreSpecs.MutableClock(StoreSpecs.T0);
    private final Map<String, Map<String, String>> secrets = new HashMap<>();
    private ObjectStoreChecks checks;

    @BeforeEach
    void start() throws IOException {
        s3 = new FakeS3("us-east-1");
        s3.users.put("AK1", "SK1");
        s3.buckets.put("images", "AK1");
        swift = new FakeSwift();
        swift.containers.put("glance", FakeSwift.Container.OWN);
        secrets.put("s3", Map.of("access_key", "AK1", "secret_key", "SK1"));
        secrets.put("swift", Map.of("user", FakeSwift.USER, "key", FakeSwift.KEY));
        checks = new ObjectStoreChecks(clock, new StoreHttp());
    }

    @AfterEach
    void stop() {
        s3.close();
        swift.close();
    }

    @Test
    void aSuccessIsRememberedSoTheNextReconcileSendsNothing() {
        GlanceAPISpec spec = spec(s3(s3.endpoint(), "images", "s3"), swift(swift.url() + "/auth/1.0", "1", "glance", "swift"));
        assertEquals(List.of(), checks.check(spec, secrets::get));
        assertEquals(1, s3.requests.size());
        assertEquals(2, swift.requests.size());
        clock.advance(Duration.ofDays(1));
        assertEquals(List.of(), checks.check(spec, secrets::get));
        assertEquals(1, s3.requests.size());
        assertEquals(2, swift.requests.size());
    }

    @Test
    void aChangedSecretOrSettingIsCheckedAgain() {
        S3Backend backend = s3(s3.endpoint(), "images", "s3");
        checks.check(spec(backend), secrets::get);
        secrets.put("s3", Map.of("access_key", "AK1", "secret_key", "rotated"));
        assertEquals("S3CredentialsRefused", checks.check(spec(backend), secrets::get).get(0).reason());
        assertEquals(2, s3.requests.size());
        backend.createBucket = false;
        checks.check(spec(backend), secrets::get);
        assertEquals(3, s3.requests.size());
    }

    @Test
    void aFailureIsAskedAgainAfterThirtySecondsAndNotBefore() {
        GlanceAPISpec spec = spec(s3(s3.endpoint(), "later", "s3"));
        spec.stores.get(1).s3.createBucket = false;
        assertEquals("S3BucketMissing", checks.check(spec, secrets::get).get(0).reason());
        clock.advance(Duration.ofSeconds(29));
        assertEquals("S3BucketMissing", checks.check(spec, secrets::get).get(0).reason());
        assertEquals(1, s3.requests.size(), "within 30 s the failure is answered from the cache");
        s3.buckets.put("later", "AK1"); // the user creates the bucket
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(), checks.check(spec, secrets::get));
        assertEquals(2, s3.requests.size());
    }

    @Test
    void problemsNameTheStoresPositionAndName() {
        secrets.put("swift", Map.of("user", FakeSwift.USER, "key", "bad"));
        GlanceAPISpec spec = spec(s3(s3.endpoint(), "images", "s3"), swift(swift.url() + "/auth/1.0", "1", "glance", "swift"));
        List<InputProblem> problems = checks.check(spec, secrets::get);
        assertEquals(1, problems.size());
        assertEquals("spec.stores[2].swift.secretName", problems.get(0).field());
        assertEquals(true, problems.get(0).message().startsWith("store \"store2\": "), problems.get(0).message());
    }

    @Test
    void storesWithoutASecretOrOfOtherTypesAreNotAsked() {
        GlanceAPISpec spec = spec(s3(s3.endpoint(), "images", "absent-secret"));
        assertEquals(List.of(), checks.check(spec, secrets::get));
        assertEquals(List.of(), checks.check(new GlanceAPISpec(), secrets::get));
        assertEquals(List.of(), s3.requests);
    }
}
