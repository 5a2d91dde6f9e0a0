package org.openstack.glanceimport.keystone;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.openstack.glanceimport.config.ServiceCredentials;
import org.openstack.glanceimport.validation.CaTrust;

/**
 * Keystone's v3 catalogue API (services and endpoints) as an admin user. One token per instance, fetched when first
 * needed; the JDK's HTTP client (nothing to register for native). Every answer but 2xx is a {@link KeystoneFailure}
 * carrying Keystone's own message.
 */
public final class KeystoneCatalog {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AdminCredentials admin;
    private final HttpClient http;
    private final String base;
    private String token;
    private int writes;

    public KeystoneCatalog(AdminCredentials admin) {
        this.admin = admin;
        // HTTP/1.1: the JDK client otherwise offers an h2c upgrade, which uWSGI and eventlet servers do not speak
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT);
        if (admin.caPem() != null) {
            builder.sslContext(CaTrust.sslContext(admin.caPem()));
        }
        this.http = builder.build();
        this.base = KeystoneTokens.v3(admin.keystone().authUrl());
    }

    /** The credentials the catalogue is changed with, where to trust Keystone's certificate from, and the token's scope. */
    public record AdminCredentials(ServiceCredentials.Keystone keystone, boolean systemScope, String caPem) {
        @Override
        public String toString() {
            return "AdminCredentials[" + keystone + (systemScope ? ", system scope" : "") + "]";
        }
    }

    /** POST, PATCH and DELETE requests sent to the catalogue (the token request not counted). */
    public int writes() {
        return writes;
    }

    public List<JsonNode> services(String type) throws KeystoneFailure {
        return list(send("GET", "/services?type=" + encode(type), null).path("services"));
    }

    public List<JsonNode> endpoints(String serviceId) throws KeystoneFailure {
        return list(send("GET", "/endpoints?service_id=" + encode(serviceId), null).path("endpoints"));
    }

    public JsonNode createService(Map<String, Object> service) throws KeystoneFailure {
        return send("POST", "/services", Map.of("service", service)).path("service");
    }

    public void updateService(String id, Map<String, Object> changes) throws KeystoneFailure {
        send("PATCH", "/services/" + encode(id), Map.of("service", changes));
    }

    public void deleteService(String id) throws KeystoneFailure {
        send("DELETE", "/services/" + encode(id), null);
    }

    public JsonNode createEndpoint(Map<String, Object> endpoint) throws KeystoneFailure {
        return send("POST", "/endpoints", Map.of("endpoint", endpoint)).path("endpoint");
    }

    public void updateEndpoint(String id, Map<String, Object> changes) throws KeystoneFailure {
        send("PATCH", "/endpoints/" + encode(id), Map.of("endpoint", changes));
    }

    public void deleteEndpoint(String id) throws KeystoneFailure {
        send("DELETE", "/endpoints/" + encode(id), null);
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private JsonNode send(String method, String path, Object body) throws KeystoneFailure {
        if (token == null) {
            token = issueToken();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .header("X-Auth-Token", token).header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        if (!"GET".equals(method)) {
            writes++;
        }
        HttpResponse<String> r = exchange(request.build());
        if (r.statusCode() == 404 && "DELETE".equals(method)) {
            // already gone: what a delete wants
            return JSON.createObjectNode();
        }
        if (r.statusCode() / 100 != 2) {
            throw new KeystoneFailure(r.statusCode(), method + " " + base + path.replaceAll("\\?.*", "") + ": " + message(r));
        }
        return r.body() == null || r.body().isBlank() ? JSON.createObjectNode() : parse(r.body());
    }

    private String issueToken() throws KeystoneFailure {
        URI uri = KeystoneTokens.tokensUri(admin.keystone().authUrl());
        HttpResponse<String> r = exchange(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(KeystoneTokens.request(admin.keystone(), admin.systemScope()))).build());
        Optional<String> subject = r.headers().firstValue("X-Subject-Token");
        if (r.statusCode() != 201 || subject.isEmpty()) {
            throw new KeystoneFailure(r.statusCode(), "token for " + admin.keystone().username() + " at " + uri + ": " + message(r));
        }
        return subject.get();
    }

    private HttpResponse<String> exchange(HttpRequest request) throws KeystoneFailure {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new KeystoneFailure(0, "Keystone at " + base + " unreachable (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeystoneFailure(0, "interrupted");
        }
    }

    /** Keystone's error message ({"error": {"code", "title", "message"}}), else the status alone. */
    static String message(HttpResponse<String> r) {
        try {
            JsonNode error = parse(r.body()).path("error");
            if (error.hasNonNull("message")) {
                String text = error.get("message").asText();
                return r.statusCode() + " " + (text.length() > 300 ? text.substring(0, 300) : text);
            }
        } catch (KeystoneFailure | RuntimeException e) {
            // not JSON: the status says enough
        }
        return "HTTP " + r.statusCode();
    }

    private static JsonNode parse(String body) throws KeystoneFailure {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new KeystoneFailure(502, "Keystone answered something that is not JSON");
        }
    }

    private static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
