package org.openstack.glanceimport.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

import org.junit.jupiter.api.Test;

/**
 * The image's class-data archive, made here as Dockerfile.jvm makes it: AppCdsTraining run on the classpath the
 * Dockerfile gives it (test classes, target/appcds-training/lib, the operator's lib/main), training the packaged jar
 * started with the Deployment's JVM options (prod profile, leader election on). Then the operator starts with the
 * archive and -Xshare:on, which makes the JVM refuse to start if the archive does not fit it, and most of the classes it
 * loads on the way to ready must come from the archive.
 */
class AppCdsIT {

    private static final Path DIR = Path.of("target", "appcds-it");

    @Test
    void theTrainedArchiveServesTheOperatorsStart() throws Exception {
        Files.createDirectories(DIR);
        Path archive = DIR.resolve("app-cds.jsa").toAbsolutePath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> options = JvmOptions.shippedWithoutArchive();

        List<String> trainer = new ArrayList<>(List.of(java, "-cp", String.join(File.pathSeparator, "target/test-classes",
                "target/appcds-training/lib/*", "target/quarkus-app/lib/main/*"), AppCdsTraining.class.getName(), archive.toString(), java));
        trainer.addAll(options);
        trainer.addAll(List.of("-jar", OperatorProcess.JAR.toString()));
        Path trainingOutput = DIR.resolve("training.log");
        Process training = new ProcessBuilder(trainer).redirectErrorStream(true).redirectOutput(trainingOutput.toFile()).start();
        boolean ended = training.waitFor(3, TimeUnit.MINUTES);
        training.destroyForcibly();
        String trainingLog = Files.readString(trainingOutput);
        assertTrue(ended, "training run did not end:\n" + trainingLog);
        assertEquals(0, training.exitValue(), "training run:\n" + trainingLog);
        assertTrue(trainingLog.contains("AppCDS archive written"), trainingLog);

        Path classLog = DIR.resolve("class-load.log");
        Files.deleteIfExists(classLog);
        List<String> withArchive = new ArrayList<>(options);
        withArchive.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on", "-Xlog:class+load=info:file=" + classLog));
        KubernetesMockServer server = OperatorProcess.apiServer(new AppCdsTraining.LeaseGrantingDispatcher());
        try (KubernetesClient client = server.createClient()) {
            OperatorProcess.installCrds(client);
            try (OperatorProcess operator = OperatorProcess.start(OperatorProcess.JAR, Map.of(), client.getConfiguration().getMasterUrl(),
                    "default", "appcds-it", false, withArchive.toArray(String[]::new))) {
                assertTrue(operator.awaitReady(Duration.ofSeconds(60)) > 0, "not ready with the archive:\n" + String.join("\n", operator.log()));
                assertTrue(operator.terminate(Duration.ofSeconds(30)) >= 0, "did not stop at SIGTERM");
            }
        } finally {
            server.destroy();
        }

        List<String> loaded = Files.readAllLines(classLog).stream().filter(l -> l.contains(" source: ")).toList();
        long shared = loaded.stream().filter(l -> l.contains("source: shared objects file")).count();
        double share = (double) shared / loaded.size();
        System.out.printf("AppCDS: %d of %d classes loaded on the way to ready came from the archive (%.0f%%)%n", shared, loaded.size(),
                100 * share);
        // measured 73%; what stays out: classes loaded but never linked when the archive is written (JDK 17 archives
        // linked classes only) and classes generated at run time (lambdas, proxies). Without the archive it is 0%, with
        // the JDK's base archive alone about 15%
        assertTrue(share > 0.6, shared + " of " + loaded.size() + " classes from the archive");
    }
}
