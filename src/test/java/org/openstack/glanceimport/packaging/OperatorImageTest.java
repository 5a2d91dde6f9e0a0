package org.openstack.glanceimport.packaging;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.delivery.Manifests;

/**
 * Dockerfile.jvm trains the AOT cache on the image's JDK with the JVM options the Deployment runs the image with (a
 * cache written under other options, e.g. another collector, is silently not used), writes it where the Deployment's
 * -XX:AOTCache reads it, and ships it. No Docker here: this reads the Dockerfile; AotCacheIT runs the training it
 * describes, on the same JDK version (OperatorJvm).
 */
class OperatorImageTest {

    private static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile.jvm");

    @Test
    void theCacheIsTrainedWithTheDeploymentsJvmOptionsAndShipped() {
        List<String> stages = stages();
        assertEquals(2, stages.size(), "a training stage and the image");
        String training = stages.get(0);
        String image = stages.get(1);
        assertTrue(training.startsWith("FROM ") && training.lines().findFirst().orElseThrow().endsWith(" AS appcds"), training);
        assertEquals(baseImage(image), baseImage(training), "the cache is only valid for the JVM that wrote it");
        assertTrue(baseImage(image).startsWith("registry.access.redhat.com/ubi9/openjdk-" + OperatorJvm.IMAGE_FEATURE + "-runtime:"),
                "the JDK the tests run the operator on (OperatorJvm.IMAGE_FEATURE): " + baseImage(image));

        Container shipped = JvmOptions.shippedContainer();
        Map<String, String> deployment = new LinkedHashMap<>();
        for (EnvVar e : shipped.getEnv()) {
            deployment.put(e.getName(), e.getValue());
        }
        Map<String, String> env = env(training);
        assertEquals(deployment.get("GC_CONTAINER_OPTIONS"), env.get("GC_CONTAINER_OPTIONS"));
        assertEquals(deployment.get("JAVA_MAX_MEM_RATIO"), env.get("JAVA_MAX_MEM_RATIO"));
        List<String> append = new ArrayList<>(Arrays.asList(deployment.get("JAVA_OPTS_APPEND").split("\\s+")));
        assertTrue(append.remove(JvmOptions.CACHE_OPTION), "the Deployment reads the cache: " + append);
        append.add(0, "-XX:MaxRAM=" + Quantity.getAmountInBytes(shipped.getResources().getLimits().get("memory")).longValue());
        assertEquals(String.join(" ", append), env.get("JAVA_OPTS_APPEND"), "trained as the pod runs, its memory limit as MaxRAM");
        assertEquals("/deployments/quarkus-run.jar", env.get("JAVA_APP_JAR"));

        Matcher run = Pattern.compile("(?m)^RUN java -cp \"([^\"]+)\" (\\S+) (\\S+) (\\S+)$").matcher(training);
        assertTrue(run.find(), training);
        assertEquals(AotCacheTraining.class.getName(), run.group(2));
        assertEquals(JvmOptions.CACHE_FILE, run.group(3));
        assertEquals("/opt/jboss/container/java/run/run-java.sh", run.group(4), "started as the pod starts it");
        assertEquals(List.of("classes", "lib/*", "/deployments/lib/main/*"), List.of(run.group(1).split(":")),
                "the classpath AotCacheIT trains with");
        assertTrue(training.contains("COPY --chown=185 target/appcds-training/lib/ /tmp/appcds-training/lib/"), training);

        assertTrue(image.contains("COPY --from=appcds --chown=185 " + JvmOptions.CACHE_FILE + " /deployments/"), image);
        assertTrue(image.lines().filter(l -> l.startsWith("COPY ")).allMatch(l -> l.startsWith("COPY --from=appcds ")),
                "every file of the image is the one the cache was trained against");
        assertTrue(env(image).get("JAVA_OPTS_APPEND").contains(JvmOptions.CACHE_OPTION), "a plain docker run uses it too");
    }

    private static List<String> stages() {
        String text = Manifests.read(DOCKERFILE).replaceAll("\\\\\\n\\s*", "");
        List<String> stages = new ArrayList<>();
        for (String part : text.split("(?m)^(?=FROM )")) {
            if (part.startsWith("FROM ")) {
                stages.add(part.lines().filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n"));
            }
        }
        return stages;
    }

    private static String baseImage(String stage) {
        return stage.lines().findFirst().orElseThrow().split("\\s+")[1];
    }

    private static Map<String, String> env(String stage) {
        Map<String, String> env = new LinkedHashMap<>();
        stage.lines().filter(l -> l.startsWith("ENV ")).forEach(l -> {
            Matcher kv = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(l);
            while (kv.find()) {
                env.put(kv.group(1), kv.group(2));
            }
        });
        return env;
    }
}
