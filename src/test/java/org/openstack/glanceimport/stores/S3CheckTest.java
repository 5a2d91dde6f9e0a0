package org.openstack.glanceimport.stores;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.openstack.glanceimport.api.stores.S3Backend;
import org.openstack.glanceimport.support.objectstores.FakeS3;
import org.openstack.glanceimport.validation.InputProblem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openstack.glanceimport.stores.StoreSpecs.assertNoSecretIn;
import static org.openstack.glanceimport.support.objectstores.StoreBuilders.s3;
import static org.openstack.glanceimport.stores.StoreSpecs.spec;

/** Each outcome of the S3 check against a fake S3 that verifies the signatures it gets. */
class S3CheckTest {

    private static final String ACCESS = "AKIAGLANCETEST000001";
    private static final String SECRET = "s3cr3t/Key+With=Odd/Chars0123456789abcd";

    private FakeS3 fake;
    private final Map<String, Map<String, String>> secrets = new HashMap<>();
    private ObjectStoreChecks checks;

    @BeforeEach
    void start() throws IOException {
        fake = new FakeS3("us-east-1");
        fake.users.put(ACCESS, SECRET);
        fake.users.put("AKIAOTHERACCOUNT0001", "other-secret");
        fake.buckets.put("images", ACCESS);
        fake.buckets.put("taken", "AKIAOTHERACCOUNT0001");
        secrets.put("s3-creds", Map.of("access_key", ACCESS, "secret_key", SECRET));
        checks = new ObjectStoreChecks(new StoreSpecs.MutableClock(StoreSpecs.T0), new StoreHttp());
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private List<InputProblem> check(S3Backend s3) {
        List<InputProblem> problems = checks.check(spec(s3), secrets::get);
        assertNoSecretIn(problems, secrets);
        return problems;
    }

    @Test
    void anExistingOwnBucketPassesWithAVerifiedSignature() {
        assertEquals(List.of(), check(s3(fake.endpoint(), "images", "s3-creds")));
        assertEquals(List.of("GET /images?location"), fake.requests);
    }

    @Test
    void theRegionIsSignedFromTheSpec() throws IOException {
        try (FakeS3 eu = new FakeS3("eu-west-3")) {
            eu.users.put(ACCESS, SECRET);
            eu.buckets.put("images", ACCESS);
            S3Backend s3 = s3(eu.endpoint(), "images", "s3-creds");
            InputProblem p = check(s3).get(0);
            assertEquals("S3RegionMismatch", p.reason());
            assertEquals("spec.stores[1].s3.region", p.field());
            assertTrue(p.message().contains("\"eu-west-3\""), p.message());
            s3.region = "eu-west-3";
            assertEquals(List.of(), check(s3));
        }
    }

    @Test
    void aWrongSecretKeyIsRefusedNamingTheSecret() {
        secrets.put("s3-creds", Map.of("access_key", ACCESS, "secret_key", "not-the-secret-key-at-all"));
        InputProblem p = check(s3(fake.endpoint(), "images", "s3-creds")).get(0);
        assertEquals(new InputProblem("S3CredentialsRefused", "spec.stores[1].s3.secretName", p.message()), p);
        assertTrue(p.message().contains("SignatureDoesNotMatch") && p.message().contains("\"s3-creds\"")
                && p.message().contains(fake.endpoint()), p.message());
    }

    @Test
    void anUnknownAccessKeyIsRefused() {
        secrets.put("s3-creds", Map.of("access_key", "AKIANOBODY0000000000", "secret_key", SECRET));
        InputProblem p = check(s3(fake.endpoint(), "images", "s3-creds")).get(0);
        assertEquals("S3CredentialsRefused", p.reason());
        assertTrue(p.message().contains("InvalidAccessKeyId"), p.message());
    }

    @Test
    void aMissingBucketIsAProblemOnlyWhenGlanceMayNotCreateIt() {
        S3Backend s3 = s3(fake.endpoint(), "absent", "s3-creds");
        assertEquals(List.of(), check(s3));
        s3.createBucket = false;
        InputProblem p = check(s3).get(0);
        assertEquals("S3BucketMissing", p.reason());
        assertEquals("spec.stores[1].s3.bucket", p.field());
        assertTrue(p.message().startsWith("store \"store1\": bucket \"absent\" does not exist at " + fake.endpoint()), p.message());
    }

    @Test
    void anotherAccountsBucketIsForbidden() {
        InputProblem p = check(s3(fake.endpoint(), "taken", "s3-creds")).get(0);
        assertEquals("S3BucketForbidden", p.reason());
        assertEquals("spec.stores[1].s3.bucket", p.field());
        assertTrue(p.message().contains("AccessDenied"), p.message());
    }

    @Test
    void aBucketThatOnlyWithholdsItsLocationPassesOnHead() {
        fake.locationDenied.add("images");
        assertEquals(List.of(), check(s3(fake.endpoint(), "images", "s3-creds")));
        assertEquals(List.of("GET /images?location", "HEAD /images"), fake.requests);
    }

    @Test
    void aClosedPortIsUnreachable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        InputProblem p = check(s3("http://127.0.0.1:" + port, "images", "s3-creds")).get(0);
        assertEquals("S3EndpointUnreachable", p.reason());
        assertEquals("spec.stores[1].s3.endpoint", p.field());
        assertTrue(p.message().contains("http://127.0.0.1:" + port + " cannot be reached: "), p.message());
    }

    @Test
    void anEndpointThatNeverAnswersTimesOut() throws IOException {
        checks = new ObjectStoreChecks(new StoreSpecs.MutableClock(StoreSpecs.T0),
                new StoreHttp(Duration.ofMillis(500), Duration.ofMillis(500)));
        // the kernel completes the handshake from the backlog; nobody ever reads the request
        try (ServerSocket silent = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            InputProblem p = check(s3("http://127.0.0.1:" + silent.getLocalPort(), "images", "s3-creds")).get(0);
            assertEquals("S3EndpointUnreachable", p.reason());
            assertTrue(p.message().contains("timed out"), p.message());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(4).toNanos(), "the request timeout holds");
        }
    }

    @Test
    void somethingThatIsNotS3IsNamedAsSuch() throws IOException {
        com.sun.net.httpserver.HttpServer web = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        web.createContext("/", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        web.start();
        try {
            InputProblem p = check(s3("http://127.0.0.1:" + web.getAddress().getPort(), "images", "s3-creds")).get(0);
            assertEquals("S3UnexpectedAnswer", p.reason());
            assertTrue(p.message().contains("HTTP 404 without an S3 error code"), p.message());
        } finally {
            web.stop(0);
        }
    }

    @Test
    void bucketUrlsFollowTheFormat() {
        S3Backend s3 = s3("https://s3.example.com/prefix/", "images", "x");
        assertEquals(URI.create("https://images.s3.example.com/prefix/?location"), S3BucketUrl.of(s3, "location"));
        s3.bucketUrlFormat = "path";
        assertEquals(URI.create("https://s3.example.com/prefix/images?location"), S3BucketUrl.of(s3, "location"));
        s3.bucketUrlFormat = "virtual";
        s3.endpoint = "http://rgw.ceph.svc:8080";
        assertEquals(URI.create("http://images.rgw.ceph.svc:8080/"), S3BucketUrl.of(s3, null));
        s3.bucketUrlFormat = "auto";
        assertEquals(URI.create("http://rgw.ceph.svc:8080/images"), S3BucketUrl.of(s3, null));
        s3.endpoint = "http://10.0.0.5";
        assertEquals(URI.create("http://10.0.0.5/images"), S3BucketUrl.of(s3, null));
        s3.endpoint = "http://localhost";
        assertEquals(URI.create("http://localhost/images"), S3BucketUrl.of(s3, null));
    }

    @Test
    void virtualHostAddressingOfAnIpEndpointIsRefusedBeforeAnyRequest() {
        S3Backend s3 = s3(fake.endpoint(), "images", "s3-creds");
        s3.bucketUrlFormat = "virtual";
        InputProblem p = check(s3).get(0);
        assertEquals("S3BucketUrlUnusable", p.reason());
        assertEquals("spec.stores[1].s3.bucketUrlFormat", p.field());
        assertEquals(List.of(), fake.requests);
    }

    @Test
    void anEndpointWithoutAHostNameIsNamed() {
        InputProblem p = check(s3("http://under_score:9000", "images", "s3-creds")).get(0);
        assertEquals("S3EndpointUnreachable", p.reason());
        assertTrue(p.message().contains("is not a URL with a host name"), p.message());
    }

    @Test
    void aVirtualHostNameThatDoesNotResolveSaysHowToAddressByPath() {
        S3Backend s3 = s3("http://s3.invalid", "images", "s3-creds");
        InputProblem p = check(s3).get(0);
        assertEquals("S3EndpointUnreachable", p.reason());
        assertTrue(p.message().contains("virtual-host URL http://images.s3.invalid/?location; bucketUrlFormat path"), p.message());
    }

    @Test
    void theSecretsCaIsTrustedAndNothingElse() throws Exception {
        try (FakeS3 tls = new FakeS3("us-east-1", FakeS3.loopbackCertificate())) {
            tls.users.put(ACCESS, SECRET);
            tls.buckets.put("images", ACCESS);
            String endpoint = tls.endpoint();
            String ca = FakeS3.loopbackCa();
            secrets.put("s3-creds", Map.of("access_key", ACCESS, "secret_key", SECRET, "ca.crt", ca));
            assertEquals(List.of(), check(s3(endpoint, "images", "s3-creds")));

            secrets.put("s3-creds", Map.of("access_key", ACCESS, "secret_key", SECRET, "ca.crt", resource("tls/other-ca.crt")));
            InputProblem other = check(s3(endpoint, "images", "s3-creds")).get(0);
            assertEquals("S3EndpointUnreachable", other.reason());
            assertTrue(other.message().contains("SSLHandshakeException"), other.message());

            secrets.put("s3-creds", Map.of("access_key", ACCESS, "secret_key", SECRET));
            assertEquals("S3EndpointUnreachable", check(s3(endpoint, "images", "s3-creds")).get(0).reason(),
                    "without ca.crt the JVM's CAs decide, and they do not know the test CA");

            secrets.put("s3-creds", Map.of("access_key", ACCESS, "secret_key", SECRET, "ca.crt", "not a certificate"));
            InputProblem garbage = check(s3(endpoint, "images", "s3-creds")).get(0);
            assertEquals(new InputProblem("InvalidCertificate", "spec.stores[1].s3.secretName", garbage.message()), garbage);
        }
    }

    @Test
    void aSecretWithoutTheKeysIsLeftToTheSecretChecks() {
        secrets.put("s3-creds", Map.of("access_key", ACCESS));
        assertEquals(List.of(), check(s3(fake.endpoint(), "images", "s3-creds")));
        assertEquals(List.of(), fake.requests);
    }

    private static String resource(String name) throws IOException {
        try {
            return Files.readString(Path.of(S3CheckTest.class.getClassLoader().getResource(name).toURI()), StandardCharsets.US_ASCII);
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
