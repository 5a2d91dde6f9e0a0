package org.openstack.glanceimport.delivery;

import java.io.BufferedReader;
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
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A measurement in the form of a test (`make measure`; its name does not end in Test, so `make test` never runs it):
 * starts fabric8's mock API server in this JVM with the generated CRDs, then runs the packaged operator
 * ({@code java -jar target/quarkus-app/quarkus-run.jar}, prod profile, leader election on) against it as a child process
 * and reports
 * <ul>
 * <li>start-to-ready: from process spawn to the first 200 from /q/health/ready (controllers started, informers synced),
 * and Quarkus' own "started in" figure;</li>
 * <li>RSS (VmRSS of the child) idle, 15 s and 30 s after ready, with no custom resources.</li>
 * </ul>
 * Numbers are for this machine (2 cores) and the default JVM flags; the mock server does no admission or scheduling.
 */
class StartupMeasureRun {

    @Test
    void measure() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("measure"), "set -Dmeasure=true");
        int runs = Integer.getInteger("measure.runs", 3);
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        Assumptions.assumeTrue(Files.exists(jar), "build first: ./mvnw package -DskipTests");
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        List<String> report = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            report.add("run " + i + ": " + once(jar, i == runs));
        }
        System.out.println("\n==== operator start-to-ready (JVM) ====");
        // other work on the machine skews these numbers: show it
        System.out.println("load average before/after: " + loadBefore + " / " + Files.readString(Path.of("/proc/loadavg")).strip()
                + ", cpus: " + Runtime.getRuntime().availableProcessors());
        report.forEach(System.out::println);
    }

    private static String once(Path jar, boolean withRss) throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        Process process = null;
        try (KubernetesClient client = server.createClient()) {
            for (Path crd : Manifests.files(Path.of("target/kubernetes"), "-v1.yml")) {
                client.resource(Manifests.read(crd)).create();
            }
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            String apiUrl = client.getConfiguration().getMasterUrl();
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dquarkus.kubernetes-client.api-server-url=" + apiUrl,
                    "-Dquarkus.kubernetes-client.trust-certs=true",
                    "-Dquarkus.kubernetes-client.namespace=default",
                    "-Dquarkus.http.port=" + port,
                    // leader election is active in the prod profile only, and the mock server cannot answer its Lease
                    // access check (SelfSubjectRulesReview): measure the same jar under another profile, unelected
                    "-Dquarkus.profile=measure",
                    "-jar", jar.toString()).redirectErrorStream(true);
            pb.environment().remove("KUBECONFIG");
            long t0 = System.nanoTime();
            process = pb.start();
            AtomicReference<String> started = new AtomicReference<>("?");
            Process p = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null;) {
                        if (Boolean.getBoolean("measure.verbose")) {
                            System.out.println("  | " + line);
                        }
                        int at = line.indexOf("started in ");
                        if (at >= 0) {
                            started.set(line.substring(at + 11).split("s[.]")[0]);
                        }
                    }
                } catch (Exception ignored) {
                    // process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
            URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
            long readyNanos = -1;
            while (System.nanoTime() - t0 < Duration.ofSeconds(60).toNanos() && process.isAlive()) {
                try {
                    if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        readyNanos = System.nanoTime() - t0;
                        break;
                    }
                } catch (java.io.IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(25);
            }
            if (readyNanos < 0) {
                return "not ready within 60 s (alive=" + process.isAlive() + ")";
            }
            String result = String.format("ready %d ms after spawn (Quarkus: started in %s s)", readyNanos / 1_000_000, started.get());
            if (withRss) {
                // idle only: the prod build uses server-side apply, which the mock server rejects (415), so applying a
                // sample here would measure a retry loop, not a reconcile; the reconcilers are measured by the tests
                Thread.sleep(15_000);
                long idle15 = rssKb(process.pid());
                Thread.sleep(15_000);
                result += String.format("; RSS idle %d MiB at 15 s, %d MiB at 30 s", idle15 / 1024, rssKb(process.pid()) / 1024);
            }
            return result;
        } finally {
            if (process != null) {
                process.destroy();
                process.waitFor();
            }
            server.destroy();
        }
    }

    private static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
