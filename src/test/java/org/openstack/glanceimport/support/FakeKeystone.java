package org.openstack.glanceimport.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for Keystone's v3 catalogue API on a loopback port, for the tests that need no real one: password tokens
 * (one user and password), services and endpoints kept in memory with their extra attributes, filters by type and
 * service_id, and every request recorded as "METHOD /path". {@link #refuse} answers 403 with Keystone's error body.
 * The real Keystone is exercised by the e2e (E2eKeystoneRegistration).
 */
public final class FakeKeystone implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String user;
    private final String password;
    public final Map<String, Map<String, Object>> services = new ConcurrentHashMap<>();
    public final Map<String, Map<String, Object>> endpoints = new ConcurrentHashMap<>();
    public final List<String> requests = new CopyOnWriteArrayList<>();
    public volatile boolean refuse;

    public FakeKeystone(String user, String password) throws IOException {
        this.user = user;
        this.password = password;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v3", this::handle);
        server.start();
    }

    public String authUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v3";
    }

    /** Requests other than GET and the token request: what changed the catalogue. */
    public List<String> writes() {
        return requests.stream().filter(r -> !r.startsWith("GET ") && !r.equals("POST /v3/auth/tokens")).toList();
    }

    /** An entry the operator did not create, as an administrator would have made it by hand. */
    public String add(Map<String, Map<String, Object>> into, Map<String, Object> entry) {
        String id = UUID.randomUUID().toString().replace("-", "");
        Map<String, Object> copy = new LinkedHashMap<>(entry);
        copy.put("id", id);
        into.put(id, copy);
        return id;
    }

    @SuppressWarnings("unchecked")
    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getQuery();
        requests.add(method + " " + path);
        byte[] raw;
        try (InputStream in = ex.getRequestBody()) {
            raw = in.readAllBytes();
        }
        Map<String, Object> body = raw.length == 0 ? Map.of() : JSON.readValue(raw, Map.class);
        if (path.equals("/v3/auth/tokens") && method.equals("POST")) {
            Map<String, Object> u = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) body
                    .get("auth")).get("identity")).get("password")).get("user");
            if (!user.equals(u.get("name")) || !password.equals(u.get("password"))) {
                answer(ex, 401, error(401, "The request you have made requires authentication."));
                return;
            }
            ex.getResponseHeaders().add("X-Subject-Token", "token-" + UUID.randomUUID());
            answer(ex, 201, Map.of("token", Map.of("expires_at", "2099-01-01T00:00:00.000000Z")));
            return;
        }
        if (refuse) {
            answer(ex, 403, error(403, "You are not authorized to perform the requested action: identity:create_service."));
            return;
        }
        String[] parts = path.substring("/v3/".length()).split("/");
        Map<String, Map<String, Object>> table = parts[0].equals("services") ? services : parts[0].equals("endpoints") ? endpoints : null;
        String one = parts[0].equals("services") ? "service" : "endpoint";
        if (table == null) {
            answer(ex, 404, error(404, "not found"));
            return;
        }
        String id = parts.length > 1 ? parts[1] : null;
        switch (method) {
            case "GET" -> {
                List<Map<String, Object>> out = new ArrayList<>();
                for (Map<String, Object> e : table.values()) {
                    if (query == null || matches(e, query)) {
                        out.add(e);
                    }
                }
                answer(ex, 200, Map.of(parts[0], out));
            }
            case "POST" -> {
                Map<String, Object> entry = new LinkedHashMap<>((Map<String, Object>) body.get(one));
                String newId = add(table, entry);
                answer(ex, 201, Map.of(one, table.get(newId)));
            }
            case "PATCH" -> {
                Map<String, Object> entry = table.get(id);
                if (entry == null) {
                    answer(ex, 404, error(404, "Could not find " + one + ": " + id + "."));
                    return;
                }
                entry.putAll((Map<String, Object>) body.get(one));
                answer(ex, 200, Map.of(one, entry));
            }
            case "DELETE" -> {
                if (table.remove(id) == null) {
                    answer(ex, 404, error(404, "Could not find " + one + ": " + id + "."));
                    return;
                }
                ex.sendResponseHeaders(204, -1);
                ex.close();
            }
            default -> answer(ex, 405, error(405, "method"));
        }
    }

    private static boolean matches(Map<String, Object> entry, String query) {
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            if (!String.valueOf(entry.get(kv[0])).equals(kv.length > 1 ? kv[1] : "")) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Object> error(int code, String message) {
        return Map.of("error", Map.of("code", code, "title", "Error", "message", message));
    }

    private static void answer(HttpExchange ex, int status, Object body) throws IOException {
        byte[] out = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
