package org.openstack.glanceimport.support.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The real Prometheus of `make e2e` (e2e/run.sh starts it beside the live tests, -De2e.prometheus): it scrapes the live
 * operator and evaluates the shipped rules. Asked through its HTTP API, as Grafana and Alertmanager would.
 */
public final class E2ePrometheus {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI base;
    private final HttpClient http = HttpClient.newHttpClient();

    private E2ePrometheus(URI base) {
        this.base = base;
    }

    /** The property naming the run's Prometheus; {@value #OPT_OUT} runs the live tests without it, said loudly. */
    public static final String PROPERTY = "e2e.prometheus";
    public static final String OPT_OUT = "none";

    /**
     * The run's Prometheus (-De2e.prometheus=URL, which `make e2e` sets). Empty only when the run opted out with
     * -De2e.prometheus=none, which is printed as a warning; unset fails, so that a run that checked no alert and no
     * dashboard panel cannot pass as one that did.
     */
    public static Optional<E2ePrometheus> fromSystemProperty() {
        String url = System.getProperty(PROPERTY);
        if (url == null || url.isBlank()) {
            throw new AssertionError("-D" + PROPERTY + " is not set: the live tests check the shipped alerts and dashboard on the "
                    + "run's Prometheus (`make e2e` starts one from e2e/run.sh and sets -D" + PROPERTY + "=http://127.0.0.1:19090). "
                    + "To run them without those checks, say so: -D" + PROPERTY + "=" + OPT_OUT);
        }
        if (OPT_OUT.equals(url.strip())) {
            String line = "[prometheus] " + "*".repeat(100);
            System.err.println(line + "\n[prometheus] WARNING: -D" + PROPERTY + "=" + OPT_OUT
                    + ": the shipped alerts and the dashboard's panels are NOT checked in this run\n" + line);
            return Optional.empty();
        }
        return Optional.of(new E2ePrometheus(URI.create(url)));
    }

    /** The state of alert {@code name} (pending, firing), empty while it is inactive: /api/v1/alerts. */
    public Optional<String> alertState(String name) throws IOException, InterruptedException {
        for (JsonNode alert : get("/api/v1/alerts").path("data").path("alerts")) {
            if (name.equals(alert.path("labels").path("alertname").asText())) {
                return Optional.of(alert.path("state").asText());
            }
        }
        return Optional.empty();
    }

    /** An instant query's result vector: /api/v1/query; a query that does not parse fails here. */
    public JsonNode query(String expr) throws IOException, InterruptedException {
        JsonNode answer = get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        if (!"success".equals(answer.path("status").asText())) {
            throw new AssertionError("Prometheus refused " + expr + ": " + answer);
        }
        return answer.path("data").path("result");
    }

    /** Every target expression of a Grafana dashboard, with its panel's title. */
    public static List<String[]> panelQueries(Path dashboard) throws IOException {
        List<String[]> out = new ArrayList<>();
        for (JsonNode panel : JSON.readTree(Files.readString(dashboard)).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                out.add(new String[] { panel.path("title").asText(), target.path("expr").asText() });
            }
        }
        return out;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }
}
