package org.openstack.glanceimport.packaging;

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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image's AOT cache, made here as Dockerfile.jvm makes it: AotCacheTraining run on the operator's JVM (the image's
 * Java 25 where the machine has it: OperatorJvm) with the classpath the Dockerfile gives it (test classes,
 * target/appcds-training/lib, the operator's lib/main), training the packaged jar started with the Deployment's JVM
 * options (prod profile, leader election on). Then the operator starts with the cache and -XX:AOTMode=on, which makes
 * the JVM refuse to start if the cache does not fit it, and most of the classes it loads on the way to ready must come
 * from the cache.
 */
class AotCacheIT {

    private static final Path DIR = Path.of("target", "appcds-it");

    @Test
    void theTrainedCacheServesTheOperatorsStart() throws Exception {
        Files.createDirectories(DIR);
        OperatorJvm jvm = OperatorJvm.resolve();
        System.out.println("AOT cache of the operator's JVM: " + jvm);
        Path cache = DIR.resolve("app" + jvm.cacheSuffix()).toAbsolutePath();
        String java = jvm.java();
        List<String> options = jvm.accepted(JvmOptions.shippedWithoutCache());

        List<String> trainer = new ArrayList<>(List.of(java, "-cp", String.join(File.pathSeparator, "target/test-classes",
                "target/appcds-training/lib/*", "target/quarkus-app/lib/main/*"), AotCacheTraining.class.getName(), cache.toString(), java));
        trainer.addAll(options);
        // by its absolute path, as run-java.sh names /deployments/quarkus-run.jar: Java 25 accepts a cache trained on a
        // relative -jar path from another directory, and then the classes it serves have no code source (Quarkus' entry
        // point fails with a NullPointerException). The run below names it relatively, from the project directory
        trainer.addAll(List.of("-jar", OperatorProcess.JAR.toAbsolutePath().toString()));
        Path trainingOutput = DIR.resolve("training.log");
        Process training = new ProcessBuilder(trainer).redirectErrorStream(true).redirectOutput(trainingOutput.toFile()).start();
        boolean ended = training.waitFor(3, TimeUnit.MINUTES);
        training.destroyForcibly();
        String trainingLog = Files.readString(trainingOutput);
        assertTrue(ended, "training run did not end:\n" + trainingLog);
        assertEquals(0, training.exitValue(), "training run:\n" + trainingLog);
        assertTrue(trainingLog.contains("AOT cache written"), trainingLog);

        Path classLog = DIR.resolve("class-load.log");
        Files.deleteIfExists(classLog);
        List<String> withCache = new ArrayList<>(options);
        withCache.addAll(List.of(jvm.cacheOption(cache), jvm.cacheRequired(), "-Xlog:class+load=info:file=" + classLog));
        KubernetesMockServer server = OperatorProcess.apiServer(new AotCacheTraining.LeaseGrantingDispatcher());
        try (KubernetesClient client = server.createClient()) {
            OperatorProcess.installCrds(client);
            try (OperatorProcess operator = OperatorProcess.start(OperatorProcess.JAR, Map.of(), client.getConfiguration().getMasterUrl(),
                    "default", "appcds-it", false, withCache.toArray(String[]::new))) {
                assertTrue(operator.awaitReady(Duration.ofSeconds(60)) > 0, "not ready with the cache:\n" + String.join("\n", operator.log()));
                // the JVM's own warnings (Netty's sun.misc.Unsafe use on Java 25 without --sun-misc-unsafe-memory-access,
                // a cache that does not fit) go to the pod's log at every start: the shipped options leave none
                List<String> jvmWarnings = operator.log().stream().filter(l -> l.startsWith("WARNING:") || l.contains("][warning]")).toList();
                assertTrue(jvmWarnings.isEmpty(), "JVM warnings at start: " + jvmWarnings);
                assertTrue(operator.terminate(Duration.ofSeconds(30)) >= 0, "did not stop at SIGTERM");
            }
        } finally {
            server.destroy();
        }

        List<String> loaded = Files.readAllLines(classLog).stream().filter(l -> l.contains(" source: ")).toList();
        long shared = loaded.stream().filter(l -> l.contains("source: shared objects file")).count();
        double share = (double) shared / loaded.size();
        System.out.printf("%s: %d of %d classes loaded on the way to ready came from the cache (%.0f%%)%n", jvm, shared, loaded.size(),
                100 * share);
        // measured: Java 25 AOT cache 88%, Java 17 archive 73%. What stays out: classes generated at run time (some
        // lambdas, proxies) and, on 17, classes loaded but not yet linked when the archive is written. Without a cache
        // it is 0%, with the JDK's base archive alone about 15%
        assertTrue(share > 0.6, shared + " of " + loaded.size() + " classes from the cache");
    }
}
