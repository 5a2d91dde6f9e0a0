package org.openstack.glanceimport.support.objectstores;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Swift with both logins: v1 at /auth/1.0 (radosgw's swift_auth) and Keystone v3 at /v3/auth/tokens, whose catalog
 * lists the object store under /swift/v1 when {@link #catalogHasSwift}. Containers answer HEAD for the one user, by
 * default {@link #USER} (a radosgw subuser); a Keystone user as Glance's references name it ("project:user") has no
 * colon, so {@link #FakeSwift(String)} takes another.
 */
public final class FakeSwift implements AutoCloseable {

    public static final String USER = "glance:swift";
    public static final String KEY = "swift-key-0123456789";
    public static final String PROJECT = "service";
    private static final String TOKEN = "tk-fake-0001";

    public enum Container { OWN, FOREIGN }

    public final Map<String, Container> containers = new ConcurrentHashMap<>();
    public final List<String> requests = new CopyOnWriteArrayList<>();
    public volatile boolean catalogHasSwift = true;
    private final String user;
    private final HttpServer server;

    public FakeSwift() throws IOException {
        this(USER);
    }

    /** Accepting {@code user} (with {@link #KEY}, and {@link #PROJECT} for Keystone) instead of {@link #USER}. */
    public FakeSwift(String user) throws IOException {
        this.user = user;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/auth/1.0", this::v1);
        server.createContext("/v3/auth/tokens", this::v3);
        server.createContext("/swift/v1/", this::container);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void v1(HttpExchange ex) throws IOException {
        requests.add(ex.getRequestMethod() + " " + ex.getRequestURI());
        if (this.user.equals(ex.getRequestHeaders().getFirst("X-Auth-User")) && KEY.equals(ex.getRequestHeaders().getFirst("X-Auth-Key"))) {
            ex.getResponseHeaders().set("X-Storage-Url", url() + "/swift/v1");
            ex.getResponseHeaders().set("X-Auth-Token", TOKEN);
            answer(ex, 204, "");
        } else {
            answer(ex, 401, "");
        }
    }

    private void v3(HttpExchange ex) throws IOException {
        requests.add(ex.getRequestMethod() + " " + ex.getRequestURI());
        JsonNode auth = new ObjectMapper().readTree(ex.getRequestBody()).path("auth");
        JsonNode user = auth.path("identity").path("password").path("user");
        JsonNode project = auth.path("scope").path("project");
        boolean ok = ex.getRequestMethod().equals("POST") && this.user.equals(user.path("name").asText())
                && KEY.equals(user.path("password").asText()) && "Default".equals(user.path("domain").path("name").asText())
                && PROJECT.equals(project.path("name").asText()) && "Default".equals(project.path("domain").path("name").asText());
        if (!ok) {
            answer(ex, 401, "{\"error\":{\"code\":401}}");
            return;
        }
        String catalog = catalogHasSwift ? "[{\"type\":\"identity\",\"endpoints\":[{\"interface\":\"public\",\"url\":\"" + url()
                + "/v3\"}]},{\"type\":\"object-store\",\"endpoints\":[{\"interface\":\"internal\",\"url\":\"http://127.0.0.1:1/nowhere\"},"
                + "{\"interface\":\"public\",\"url\":\"" + url() + "/swift/v1\"}]}]" : "[]";
        ex.getResponseHeaders().set("X-Subject-Token", TOKEN);
        answer(ex, 201, "{\"token\":{\"catalog\":" + catalog + "}}");
    }

    private void container(HttpExchange ex) throws IOException {
        requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath());
        if (!TOKEN.equals(ex.getRequestHeaders().getFirst("X-Auth-Token"))) {
            answer(ex, 401, "");
            return;
        }
        String name = URLDecoder.decode(ex.getRequestURI().getRawPath().substring("/swift/v1/".length()), StandardCharsets.UTF_8);
        Container c = containers.get(name);
        answer(ex, c == null ? 404 : c == Container.OWN ? 204 : 403, "");
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length == 0 || ex.getRequestMethod().equals("HEAD") ? -1 : bytes.length);
        if (bytes.length > 0 && !ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }
}
