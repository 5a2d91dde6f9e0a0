package org.openstack.glanceimport.delivery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

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
        KubernetesMockServer server = OperatorProcess.apiServer(new KubernetesCrudDispatcher(List.of()));
        try (KubernetesClient client = server.createClient()) {
            OperatorProcess.installCrds(client);
            // leader election is active in the prod profile only, and this mock server does not answer its Lease access
            // check (OperatorShutdownIT's does): measure the same jar under another profile, unelected
            try (OperatorProcess operator = OperatorProcess.start(client.getConfiguration().getMasterUrl(), "default", null,
                    Boolean.getBoolean("measure.verbose"), "-Dquarkus.profile=measure")) {
                long readyNanos = operator.awaitReady(Duration.ofSeconds(60));
                if (readyNanos < 0) {
                    return "not ready within 60 s (alive=" + operator.process.isAlive() + ")";
                }
                String started = operator.log().stream().filter(l -> l.contains("started in ")).findFirst()
                        .map(l -> l.substring(l.indexOf("started in ") + 11).split("s[.]")[0]).orElse("?");
                String result = String.format("ready %d ms after spawn (Quarkus: started in %s s)", readyNanos / 1_000_000, started);
                if (withRss) {
                    // idle only: the prod build uses server-side apply, which the mock server rejects (415), so applying a
                    // sample here would measure a retry loop, not a reconcile; the reconcilers are measured by the tests
                    Thread.sleep(15_000);
                    long idle15 = rssKb(operator.process.pid());
                    Thread.sleep(15_000);
                    result += String.format("; RSS idle %d MiB at 15 s, %d MiB at 30 s", idle15 / 1024,
                            rssKb(operator.process.pid()) / 1024);
                }
                return result;
            }
        } finally {
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
