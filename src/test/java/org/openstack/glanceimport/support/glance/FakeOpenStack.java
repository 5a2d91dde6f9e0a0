package org.openstack.glanceimport.support.glance;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The two Keystone and Glance calls the operator makes, answered the way those services answer them: a v3 password token
 * for the one service user it knows, and DELETE /v2/images/{id} with that token, which soft-deletes the row in the
 * image's database ({@link GlanceTables}). Every
 * request is recorded as received.
 */
public final class FakeOpenStack implements AutoCloseable {

    public record Request(String method, String path, Map<String, List<String>> headers, String body, java.time.Instant at) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }
    }

    public static final String SERVICE_USER = "glance";
    public static final String SERVICE_PASSWORD = "service-secret";
    public static final String TOKEN = "gAAAA-fake-token";

    private final int port;
    private final Function<String, GlanceTables> tablesFor;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;

    /** {@code tablesFor}: the database holding an image id. */
    public FakeOpenStack(int port, Function<String, GlanceTables> tablesFor) {
        this.port = port;
        this.tablesFor = tablesFor;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> deletes() {
        return requests.stream().filter(r -> r.method().equals("DELETE")).toList();
    }

    public synchronized void start() throws IOException {
        // every loopback address: stand-in pods are "reached" at 127.0.0.2 (the Host header tells them apart)
        server = HttpServer.create(new InetSocketAddress("0.0.0.0", port), 16);
        server.createContext("/v3/auth/tokens", this::token);
        server.createContext("/v2/images/", this::deleteImage);
        server.start();
    }

    /** Connections are refused until the next {@link #start()}. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    private Request record(HttpExchange ex) throws IOException {
        Request r = new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()),
                new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), java.time.Instant.now());
        requests.add(r);
        return r;
    }

    private void token(HttpExchange ex) throws IOException {
        Request r = record(ex);
        JsonNode user = new ObjectMapper().readTree(r.body()).path("auth").path("identity").path("password").path("user");
        if (!"POST".equals(r.method()) || !SERVICE_USER.equals(user.path("name").asText())
                || !SERVICE_PASSWORD.equals(user.path("password").asText())) {
            answer(ex, 401, "{\"error\":{\"code\":401,\"title\":\"Unauthorized\"}}");
            return;
        }
        ex.getResponseHeaders().add("X-Subject-Token", TOKEN);
        answer(ex, 201, "{\"token\":{}}");
    }

    private void deleteImage(HttpExchange ex) throws IOException {
        Request r = record(ex);
        if (!TOKEN.equals(r.header("X-Auth-Token"))) {
            answer(ex, 401, "");
            return;
        }
        String id = r.path().substring("/v2/images/".length());
        GlanceTables tables = tablesFor.apply(id);
        try {
            answer(ex, "DELETE".equals(r.method()) && tables != null && tables.delete(id) ? 204 : 404, "");
        } catch (SQLException e) {
            answer(ex, 500, "");
        }
    }

    private static void answer(HttpExchange ex, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(code, code == 204 || bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0 && code != 204) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    @Override
    public void close() {
        stop();
    }
}
