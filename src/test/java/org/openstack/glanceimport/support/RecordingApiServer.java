package org.openstack.glanceimport.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.DefaultMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.kubernetes.client.KubernetesServer;

import org.openstack.glanceimport.delivery.ShippedRbac;

/**
 * Setup of the tests' mock API server: it writes down every request it receives (method, path, user agent, and the body
 * of writes to the operator's own resources) under {@link #DIR}, for OperatorRequestsTest to check against the RBAC the
 * operator ships and against "no spec in any write". It also gives the answer a real API server gives and the mock
 * lacks: a SelfSubjectRulesReview (JOSDK's leader election checks its Lease access with one) answers with the rules
 * of the chart's ClusterRoles, so leader election runs in the tests against the RBAC that ships.
 */
public class RecordingApiServer implements Consumer<KubernetesServer> {

    public static final Path DIR = Path.of("target", "api-requests");
    static final String RULES_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

    @Override
    public void accept(KubernetesServer server) {
        server.expect().post().withPath(RULES_REVIEWS).andReturn(201, ShippedRbac.rulesReview()).always();
        try {
            MockWebServer web = (MockWebServer) field(DefaultMockServer.class, "server").get(server.getKubernetesMockServer());
            Dispatcher served = (Dispatcher) field(MockWebServer.class, "dispatcher").get(web);
            Files.createDirectories(DIR);
            web.setDispatcher(new Recorder(served, DIR.resolve(UUID.randomUUID() + ".jsonl")));
        } catch (ReflectiveOperationException | IOException e) {
            throw new IllegalStateException("cannot record the mock API server's requests", e);
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    /** Serves as before, and appends one JSON line per request. */
    static final class Recorder extends Dispatcher {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final Dispatcher served;
        private final Path file;

        Recorder(Dispatcher served, Path file) {
            this.served = served;
            this.file = file;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            record(request);
            return served.dispatch(request);
        }

        @Override
        public void shutdown() {
            served.shutdown();
        }

        private synchronized void record(RecordedRequest request) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("time", System.currentTimeMillis());
            line.put("method", request.getMethod());
            line.put("path", request.getPath());
            line.put("userAgent", request.getHeader("User-Agent"));
            line.put("contentType", request.getHeader("Content-Type"));
            if (!"GET".equals(request.getMethod()) && request.getPath().startsWith("/apis/import.glance.openstack.org/")) {
                // getBytes, not getUtf8Body: reading the body would consume it before the served dispatcher sees it
                line.put("body", request.getBody() == null ? null : new String(request.getBody().getBytes(), StandardCharsets.UTF_8));
            }
            try {
                Files.writeString(file, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
