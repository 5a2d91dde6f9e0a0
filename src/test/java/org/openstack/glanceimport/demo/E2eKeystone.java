package org.openstack.glanceimport.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.ServiceStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.StatusConditions;
import org.openstack.glanceimport.support.e2e.E2eHarness;
import org.openstack.glanceimport.support.e2e.E2eSetup;
import org.openstack.glanceimport.support.kube.AsUser;
import static org.openstack.glanceimport.support.e2e.E2eHarness.python;

/**
 * Part of `make e2e`, with the harness's services up (-De2e.run=RUNDIR), against the real Keystone (whose uWSGI log
 * counts every request) and memcached:
 * <ol>
 * <li>the token cache: the same N image-list requests with one token through the three pods, first without
 * spec.memcached, then with it: Keystone's token validations (GET /v3/auth/tokens) counted each time, memcached's stats;</li>
 * <li>registration: the live operator registers the image service and its endpoints (public once the Service's load
 * balancer has an address), a token issued afterwards carries them in its catalogue, later reconciles send no write to
 * Keystone, an endpoint deleted in Keystone comes back, and deleting the GlanceAPI removes them.</li>
 * </ol>
 */
@QuarkusTest
@TestProfile(E2eKeystone.FastVerify.class)
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
@Tag("live")
class E2eKeystone {

    static final String NS = E2eSetup.NS;
    static final String NAME = "glance-ceph";
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static final int REQUESTS = 30;
    static final String LB_ADDRESS = "203.0.113.10";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REQUEST = Pattern.compile("\\] (GET|POST|PATCH|DELETE|PUT) (/v3/[^ ?]*)");

    /** Keystone is verified every 2 s instead of 10 min, so that the test sees the read-only rechecks and a deleted endpoint come back. */
    public static class FastVerify implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("glance-import.keystone.verify-interval", "2s");
        }
    }

    @Inject
    @AsUser
    KubernetesClient client;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void tokenCacheThenRegistrationInTheRealKeystone() throws Exception {
        Path run = Path.of(System.getProperty("e2e.run")).toAbsolutePath();
        JsonNode secrets = JSON.readTree(Files.readString(run.resolve("secrets.json")));
        E2eSetup.apply(client, run.resolve("secrets.json"));
        await().atMost(TIMEOUT).until(() -> sts() == 3);
        tokenCache(run, secrets);
        registration(run, secrets);
    }

    private void tokenCache(Path run, JsonNode secrets) throws Exception {
        int without = validationsFor(run, secrets, "live-keystone-nocache.json");
        String hash = configHash();
        List<String> servers = new ArrayList<>();
        secrets.path("memcached").path("servers").forEach(s -> servers.add(s.asText()));
        patch(Map.of("memcached", Map.of("servers", servers)));
        await().atMost(TIMEOUT).until(() -> !hash.equals(configHash()));
        Map<String, Long> before = memcachedStats(servers.get(0));
        int with = validationsFor(run, secrets, "live-keystone-cache.json");
        Map<String, Long> after = memcachedStats(servers.get(0));
        long hits = after.get("get_hits") - before.get("get_hits");
        long items = after.get("curr_items");
        System.out.println("[token-cache] " + REQUESTS + " requests with one token over 3 pods: " + without
                + " token validation(s) in Keystone without memcached, " + with + " with it; memcached get_hits +" + hits
                + ", curr_items " + items);
        assertTrue(with < without, "fewer validations with the cache: " + with + " vs " + without);
        assertEquals(1, with, "one validation for all pods and processes, the rest from memcached");
        assertTrue(hits >= REQUESTS - 1, "memcached served the others: get_hits +" + hits);
        assertTrue(items >= 1);
        // off again (a merge patch's null removes the field)
        client.resources(GlanceAPI.class).inNamespace(NS).withName(NAME).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"memcached\":null}}");
    }

    /** Runs the GlanceAPI's pods as rendered, sends REQUESTS image lists with one fresh token round-robin, counts validations. */
    private int validationsFor(Path run, JsonNode secrets, String list) throws Exception {
        E2eHarness.podsUp(client, api(), run, list);
        try {
            String token = token(secrets.path("demo"), false);
            int before = count(run, "GET", "/v3/auth/tokens");
            for (int i = 0; i < REQUESTS; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.1." + (i % 3 + 1) + ":9292/v2/images"))
                        .header("X-Auth-Token", token).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
            }
            return count(run, "GET", "/v3/auth/tokens") - before;
        } finally {
            python("pods.py", "down", run.toString());
        }
    }

    private void registration(Path run, JsonNode secrets) throws Exception {
        int writesBefore = writes(run);
        patch(Map.of("keystoneRegistration", Map.of("enabled", true, "method", "KeystoneAPI"),
                "service", Map.of("type", "LoadBalancer")));
        await().atMost(TIMEOUT).until(() -> StatusConditions.isTrue(api(), Conditions.KEYSTONE_REGISTERED));
        System.out.println("[keystone] " + StatusConditions.get(api(), Conditions.KEYSTONE_REGISTERED).getMessage());
        assertEquals(List.of("internal"), List.copyOf(api().getStatus().keystoneRegistration.endpointIds.keySet()),
                "public waits for the load balancer's address");
        // the load balancer gets its address: the public endpoint follows
        client.services().inNamespace(NS).withName(Names.service(api())).editStatus(s -> {
            s.setStatus(new ServiceStatusBuilder().withNewLoadBalancer().withIngress(new LoadBalancerIngressBuilder().withIp(LB_ADDRESS)
                    .build()).endLoadBalancer().build());
            return s;
        });
        await().atMost(TIMEOUT).until(() -> api().getStatus().keystoneRegistration != null
                && api().getStatus().keystoneRegistration.endpointIds.containsKey("public"));
        int registeredWrites = writes(run) - writesBefore;
        System.out.println("[keystone] registered with " + registeredWrites + " write(s) to Keystone: " + writeLines(run, writesBefore));
        assertEquals(3, registeredWrites, "service, internal endpoint, then public endpoint");

        JsonNode image = catalog(secrets, "image");
        assertEquals("glance", image.path("name").asText());
        Map<String, String> urls = new java.util.TreeMap<>();
        image.path("endpoints").forEach(e -> urls.put(e.path("interface").asText(), e.path("url").asText()));
        System.out.println("[keystone] a demo token's catalogue: image " + urls);
        assertEquals(Map.of("internal", api().getStatus().endpoints.internal, "public", api().getStatus().endpoints.publicUrl), urls);
        assertTrue(urls.get("public").contains(LB_ADDRESS));

        // steady state: the operator verifies every 2 s (reads) and sends no write
        int gets = count(run, "GET", "/v3/services");
        int writes = writes(run);
        patch(Map.of("scaleDownHoldSeconds", 31));
        Thread.sleep(7000);
        int verified = count(run, "GET", "/v3/services") - gets;
        System.out.println("[keystone] 7 s at steady state: " + verified + " verification(s) (GET /v3/services), "
                + (writes(run) - writes) + " write(s)");
        assertTrue(verified >= 2, "verified: " + verified);
        assertEquals(writes, writes(run), "no write at steady state: " + writeLines(run, writes));

        // someone deletes the public endpoint in Keystone: the next verification puts it back
        String publicId = api().getStatus().keystoneRegistration.endpointIds.get("public");
        String admin = token(secrets.path("admin"), false);
        HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(URI.create(keystone(secrets) + "/endpoints/" + publicId))
                .header("X-Auth-Token", admin).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, deleted.statusCode(), deleted.body());
        await().atMost(TIMEOUT).until(() -> api().getStatus().keystoneRegistration.endpointIds.get("public") != null
                && !publicId.equals(api().getStatus().keystoneRegistration.endpointIds.get("public")));
        System.out.println("[keystone] public endpoint " + publicId + " deleted in Keystone, recreated as "
                + api().getStatus().keystoneRegistration.endpointIds.get("public"));

        int beforeDelete = writes(run);
        client.resources(GlanceAPI.class).inNamespace(NS).withName(NAME).delete();
        await().atMost(TIMEOUT).until(() -> api() == null);
        System.out.println("[keystone] GlanceAPI deleted: " + writeLines(run, beforeDelete));
        HttpResponse<String> left = http.send(HttpRequest.newBuilder(URI.create(keystone(secrets) + "/services?type=image"))
                .header("X-Auth-Token", admin).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(0, JSON.readTree(left.body()).path("services").size(), left.body());
        assertTrue(catalogEntry(secrets, "image") == null, "a token issued now has no image service");
    }

    private void patch(Map<String, Object> spec) throws IOException {
        client.resources(GlanceAPI.class).inNamespace(NS).withName(NAME).patch(PatchContext.of(PatchType.JSON_MERGE),
                JSON.writeValueAsString(Map.of("spec", spec)));
    }

    private String keystone(JsonNode secrets) {
        return secrets.path("admin").path("auth_url").asText().replaceAll("/$", "");
    }

    /** A project-scoped password token; with {@code body} the whole answer (its catalogue), else the token id. */
    private String token(JsonNode who, boolean body) throws Exception {
        String request = JSON.writeValueAsString(Map.of("auth", Map.of("identity", Map.of("methods", List.of("password"), "password",
                Map.of("user", Map.of("name", who.path("username").asText(), "password", who.path("password").asText(),
                        "domain", Map.of("name", "Default")))),
                "scope", Map.of("project", Map.of("name", who.path("project_name").asText(), "domain", Map.of("name", "Default"))))));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(who.path("auth_url").asText().replaceAll("/$", "") + "/auth/tokens"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(request)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return body ? r.body() : r.headers().firstValue("X-Subject-Token").orElseThrow();
    }

    private JsonNode catalogEntry(JsonNode secrets, String type) throws Exception {
        for (JsonNode entry : JSON.readTree(token(secrets.path("demo"), true)).path("token").path("catalog")) {
            if (type.equals(entry.path("type").asText())) {
                return entry;
            }
        }
        return null;
    }

    private JsonNode catalog(JsonNode secrets, String type) throws Exception {
        JsonNode entry = catalogEntry(secrets, type);
        assertTrue(entry != null, "no " + type + " service in a demo token's catalogue");
        return entry;
    }

    /** Requests in Keystone's uWSGI log, by method and path prefix. */
    private static int count(Path run, String method, String pathPrefix) throws IOException {
        int n = 0;
        for (String line : Files.readAllLines(run.resolve("svc/keystone/uwsgi.log"), StandardCharsets.ISO_8859_1)) {
            Matcher m = REQUEST.matcher(line);
            if (m.find() && m.group(1).equals(method) && m.group(2).startsWith(pathPrefix)) {
                n++;
            }
        }
        return n;
    }

    /** Catalogue writes: POST, PATCH and DELETE of services and endpoints. */
    private static int writes(Path run) throws IOException {
        return writeLines(run, 0).size();
    }

    private static List<String> writeLines(Path run, int skip) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("svc/keystone/uwsgi.log"), StandardCharsets.ISO_8859_1)) {
            Matcher m = REQUEST.matcher(line);
            if (m.find() && !m.group(1).equals("GET") && (m.group(2).startsWith("/v3/services") || m.group(2).startsWith("/v3/endpoints"))) {
                out.add(m.group(1) + " " + m.group(2));
            }
        }
        return out.subList(Math.min(skip, out.size()), out.size());
    }

    /** memcached's text protocol "stats", as numbers. */
    private static Map<String, Long> memcachedStats(String server) throws IOException {
        String[] hostPort = server.split(":");
        try (Socket s = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            OutputStream out = s.getOutputStream();
            out.write("stats\r\nquit\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            Map<String, Long> stats = new java.util.HashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\r\n")) {
                String[] p = line.split(" ");
                if (p.length == 3 && p[0].equals("STAT") && p[2].matches("\\d+")) {
                    stats.put(p[1], Long.parseLong(p[2]));
                }
            }
            return stats;
        }
    }

    private String configHash() {
        var sts = client.apps().statefulSets().inNamespace(NS).withName(NAME).get();
        return sts.getSpec().getTemplate().getMetadata().getAnnotations().get(Names.CONFIG_HASH_ANNOTATION);
    }

    private GlanceAPI api() {
        return client.resources(GlanceAPI.class).inNamespace(NS).withName(NAME).get();
    }

    private int sts() {
        var sts = client.apps().statefulSets().inNamespace(NS).withName(NAME).get();
        return sts == null ? -1 : sts.getSpec().getReplicas();
    }
}
