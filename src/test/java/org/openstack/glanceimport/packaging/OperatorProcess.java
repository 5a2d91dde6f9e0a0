package org.openstack.glanceimport.packaging;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.function.Predicate;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;

/**
 * The packaged operator ({@code java -jar target/quarkus-app/quarkus-run.jar}, on the image's JDK: OperatorJvm) as a
 * child process against an API server URL, as a pod runs it: its log collected, its health endpoint polled, SIGTERM sent
 * as the kubelet sends it.
 */
public final class OperatorProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    public final Process process;
    public final int port;
    public final long spawnedNanos;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;

    private OperatorProcess(Process process, int port, long spawnedNanos, boolean echo) {
        this.process = process;
        this.port = port;
        this.spawnedNanos = spawnedNanos;
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    log.add(line);
                    if (echo) {
                        System.out.println("  | " + line);
                    }
                }
            } catch (IOException ended) {
                // the process is gone
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the jar. {@code hostname} is what a pod's HOSTNAME would be (the operator's identity and user agent);
     * {@code properties} are extra -D options (e.g. another profile).
     */
    public static OperatorProcess start(String apiUrl, String namespace, String hostname, boolean echo, String... properties) throws IOException {
        return start(JAR, apiUrl, namespace, hostname, echo, properties);
    }

    /** The same with another build of the operator (to measure two builds side by side). */
    public static OperatorProcess start(Path jar, String apiUrl, String namespace, String hostname, boolean echo, String... properties)
            throws IOException {
        return start(jar, java.util.Map.of(), apiUrl, namespace, hostname, echo, properties);
    }

    /** The same with extra environment variables, as the Deployment sets them (e.g. MALLOC_ARENA_MAX). */
    public static OperatorProcess start(Path jar, java.util.Map<String, String> env, String apiUrl, String namespace, String hostname,
            boolean echo, String... properties) throws IOException {
        return start(OperatorJvm.resolve(), jar, env, apiUrl, namespace, hostname, echo, properties);
    }

    /** The same on another JVM than the image's (to measure two side by side). */
    public static OperatorProcess start(OperatorJvm jvm, Path jar, java.util.Map<String, String> env, String apiUrl, String namespace,
            String hostname, boolean echo, String... properties) throws IOException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no " + jar + ": build it first (./mvnw package, or make test, which runs verify)");
        }
        List<String> cmd = new ArrayList<>(List.of(jvm.java()));
        cmd.addAll(jvm.accepted(List.of(properties)));
        cmd.addAll(List.of("-jar", jar.toString()));
        return launch(cmd, env, apiUrl, namespace, hostname, echo);
    }

    /**
     * Runs {@code command} as the operator: a java command line, or the image's run-java.sh. Where the API server is and
     * which port to serve on go in the environment (as Quarkus reads it), so any launcher passes them on.
     */
    public static OperatorProcess launch(List<String> command, java.util.Map<String, String> env, String apiUrl, String namespace,
            String hostname, boolean echo) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("KUBECONFIG");
        pb.environment().put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", apiUrl);
        pb.environment().put("QUARKUS_KUBERNETES_CLIENT_TRUST_CERTS", "true");
        pb.environment().put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", namespace);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().putAll(env);
        if (hostname != null) {
            pb.environment().put("HOSTNAME", hostname);
        }
        long t0 = System.nanoTime();
        return new OperatorProcess(pb.start(), port, t0, echo);
    }

    /** fabric8's mock API server on loopback for the operator process to talk to, serving with {@code dispatcher}. */
    public static KubernetesMockServer apiServer(Dispatcher dispatcher) {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        return server;
    }

    /** The CRDs the build generated, as the installer (helm, OLM) applies them: the production operator does not. */
    public static void installCrds(KubernetesClient client) {
        // plain file reads, not Manifests: AotCacheTraining runs this in the image build, without the bundle's model classes
        try (var crds = Files.list(Path.of("target/kubernetes"))) {
            for (Path crd : crds.filter(f -> f.getFileName().toString().endsWith("-v1.yml")).sorted().toList()) {
                client.resource(Files.readString(crd)).create();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Nanoseconds from spawn until /q/health/ready answers 200, or -1 if it did not within the timeout. */
    public long awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
        while (System.nanoTime() - spawnedNanos < timeout.toNanos() && process.isAlive()) {
            try {
                if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return System.nanoTime() - spawnedNanos;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(25);
        }
        return -1;
    }

    public List<String> log() {
        synchronized (log) {
            return new ArrayList<>(log);
        }
    }

    public boolean logged(Predicate<String> line) {
        return log().stream().anyMatch(line);
    }

    /** SIGTERM, as the kubelet sends it; milliseconds until the process ended, or -1 if it did not within the timeout. */
    public long terminate(Duration timeout) throws InterruptedException {
        long t0 = System.nanoTime();
        // the handle's destroy is a plain SIGTERM; Process.destroy() would also close the pipe and lose the last lines
        process.toHandle().destroy();
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            return -1;
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        reader.join(2000); // the last lines it wrote
        return ms;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
