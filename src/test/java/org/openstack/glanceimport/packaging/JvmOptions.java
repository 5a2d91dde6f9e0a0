package org.openstack.glanceimport.packaging;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;

import org.openstack.glanceimport.delivery.Manifests;

/**
 * The JVM options the operator's JVM image runs with, composed from a container's environment the way the image's
 * run-java.sh (ubi9 openjdk-25-runtime) composes them: its GC and heap-sizing defaults unless the environment overrides
 * them, then JAVA_OPTS_APPEND. With {@link #inContainerOf} the container's memory limit becomes -XX:MaxRAM, which is
 * what the JVM reads from the cgroup inside the pod; that lets `make measure` run the jar here as the pod runs it.
 */
public final class JvmOptions {

    /** Where Dockerfile.jvm trains the AOT cache (AotCacheTraining), and the option the Deployment reads it with. */
    public static final String CACHE_FILE = "/deployments/app.aot";
    public static final String CACHE_OPTION = "-XX:AOTCache=" + CACHE_FILE;

    /** run-java.sh's own defaults, applied whatever the GC. */
    public static final List<String> IMAGE_DEFAULTS = List.of("-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20", "-XX:GCTimeRatio=4",
            "-XX:AdaptiveSizePolicyWeight=90", "-XX:+ExitOnOutOfMemoryError");

    private JvmOptions() {
    }

    public static List<String> of(Container container) {
        Map<String, String> env = container.getEnv() == null ? Map.of()
                : container.getEnv().stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        List<String> options = new ArrayList<>();
        options.add("-XX:MaxRAMPercentage=" + env.getOrDefault("JAVA_MAX_MEM_RATIO", "80") + ".0");
        options.addAll(split(env.getOrDefault("GC_CONTAINER_OPTIONS", "-XX:+UseParallelGC")));
        options.addAll(IMAGE_DEFAULTS);
        options.addAll(split(env.getOrDefault("JAVA_OPTS_APPEND", "")));
        return options;
    }

    /** The operator container of the CSV's Deployment (the chart's is the same: HelmChartTest). */
    public static Container shippedContainer() {
        return Manifests.csv().getSpec().getInstall().getSpec().getDeployments().get(0).getSpec().getTemplate().getSpec()
                .getContainers().get(0);
    }

    /** What that container runs the JVM with, less the image's AOT cache (for the runs that train one). */
    public static List<String> shippedWithoutCache() {
        List<String> options = inContainerOf(shippedContainer());
        if (!options.remove(CACHE_OPTION)) {
            throw new IllegalStateException("the Deployment does not read the image's AOT cache (" + CACHE_OPTION + "): " + options);
        }
        return options;
    }

    /** {@link #of}, plus the container's memory limit as the JVM sees it in the pod. */
    public static List<String> inContainerOf(Container container) {
        List<String> options = new ArrayList<>(of(container));
        Quantity limit = container.getResources() == null || container.getResources().getLimits() == null ? null
                : container.getResources().getLimits().get("memory");
        if (limit != null) {
            options.add(0, "-XX:MaxRAM=" + Quantity.getAmountInBytes(limit).longValue());
        }
        return options;
    }

    private static List<String> split(String value) {
        return Arrays.stream(value.strip().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }
}
