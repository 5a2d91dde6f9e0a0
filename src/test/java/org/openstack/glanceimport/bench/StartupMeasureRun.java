package org.openstack.glanceimport.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.packaging.AotCacheTraining;
import org.openstack.glanceimport.packaging.JvmOptions;
import org.openstack.glanceimport.packaging.OperatorJvm;
import org.openstack.glanceimport.packaging.OperatorProcess;
import org.openstack.glanceimport.support.BenchJson;
import org.openstack.glanceimport.support.GlanceApiObjects;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.kube.JobController;
import org.openstack.glanceimport.support.kube.StatefulSetController;

/**
 * A measurement in the form of a test (`make measure`; tagged measure, which `make test` excludes):
 * starts fabric8's mock API server in this JVM with the generated CRDs, then runs the packaged operator
 * ({@code java -jar target/quarkus-app/quarkus-run.jar}, leader election off: profile measure) against it as a child
 * process, on the image's JDK (OperatorJvm), with the JVM options the CSV's and the chart's Deployment give it
 * (JvmOptions: as the image's run-java.sh composes them, the container's memory limit as -XX:MaxRAM) and the AOT cache
 * the image trains (trained here the same way), side by side with the same less the cache and with the image's
 * defaults, and reports
 * <ul>
 * <li>start-to-ready: from process spawn to the first 200 from /q/health/ready (controllers started, informers synced);</li>
 * <li>RSS (VmRSS of the child) 15 s after ready with no custom resources;</li>
 * <li>RSS with 100 GlanceAPIs (1 replica, a policy each) reconciled to Ready, this JVM playing the Job and StatefulSet
 * controllers. The mock server has no server-side apply, so this part runs the same sources built with enable-ssa=false
 * (a build-time setting; `make measure` builds it into target/measure-app), as the tests run.</li>
 * </ul>
 * {@code -Dmeasure.jvm="..."} adds a configuration: the shipped options plus these; {@code -Dmeasure.java=JDK_HOME} one
 * with the shipped options on another JDK (e.g. Java 17, with the class-data archive it writes instead of an AOT cache);
 * {@code -Dmeasure.env=K=V,...} sets environment variables of the operator process in every configuration (e.g.
 * MALLOC_ARENA_MAX); {@code -Dmeasure.before=DIR} adds an earlier build (DIR/quarkus-app and DIR/measure-app, built as
 * `make measure` builds them) run with the shipped options less the cache, {@code -Dmeasure.candidate=DIR} another build
 * with the shipped options, both on -Dmeasure.build.java=JDK_HOME if set; {@code -Dmeasure.configs=shipped,extra} measures only these; {@code -Dmeasure.jcmd="VM.native_memory summary"} prints
 * what jcmd answers about the operator when idle and when loaded (to find where the RSS goes). Results go to
 * target/bench.json.
 */
@Tag("measure")
class StartupMeasureRun {

    static final Path NO_SSA_JAR = Path.of("target/measure-app/quarkus-run.jar");
    /** -Dmeasure.env=K=V,K2=V2: the operator process's extra environment, the same in every configuration. */
    static final Map<String, String> ENV = java.util.Arrays.stream(System.getProperty("measure.env", "").split(","))
            .filter(kv -> kv.contains("=")).collect(java.util.stream.Collectors.toMap(kv -> kv.substring(0, kv.indexOf('=')),
                    kv -> kv.substring(kv.indexOf('=') + 1)));
    static final int GLANCEAPIS = Integer.getInteger("measure.glanceapis", 100);

    @Test
    void measure() throws Exception {
        requireBuilt(OperatorProcess.JAR, NO_SSA_JAR);
        int runs = Integer.getInteger("measure.runs", 3);
        Container shipped = JvmOptions.shippedContainer();
        Container imageDefaults = new ContainerBuilder(shipped).withEnv(shipped.getEnv().stream()
                .filter(e -> !Set.of("GC_CONTAINER_OPTIONS", "JAVA_MAX_MEM_RATIO", "JAVA_OPTS_APPEND").contains(e.getName())).toList())
                .build();
        Map<String, Config> configs = new LinkedHashMap<>();
        OperatorJvm image = OperatorJvm.resolve();
        configs.put("shipped", new Config(image, JvmOptions.inContainerOf(shipped), OperatorProcess.JAR, NO_SSA_JAR));
        // the same without the AOT cache the image trains (AotCacheTraining): what the cache buys
        configs.put("shipped_without_cache", new Config(image, JvmOptions.shippedWithoutCache(), OperatorProcess.JAR, NO_SSA_JAR));
        configs.put("image_defaults", new Config(image, JvmOptions.inContainerOf(imageDefaults), OperatorProcess.JAR, NO_SSA_JAR));
        String extra = System.getProperty("measure.jvm", "").strip();
        if (!extra.isEmpty()) {
            List<String> more = new ArrayList<>(configs.get("shipped").jvm());
            more.addAll(List.of(extra.split("\\s+")));
            configs.put("extra", new Config(image, more, OperatorProcess.JAR, NO_SSA_JAR));
        }
        // -Dmeasure.java=<JDK home>: the shipped options on another JDK, with the cache that JDK writes (a Java 17: a
        // class-data archive), the options it does not know left out
        String otherJava = System.getProperty("measure.java", "").strip();
        if (!otherJava.isEmpty()) {
            OperatorJvm other = OperatorJvm.at(Path.of(otherJava));
            configs.put("shipped_java" + other.feature(), new Config(other, JvmOptions.inContainerOf(shipped), OperatorProcess.JAR, NO_SSA_JAR));
        }
        // the JDK of -Dmeasure.before and -Dmeasure.candidate builds: -Dmeasure.build.java=<JDK home>, else the image's
        String buildJava = System.getProperty("measure.build.java", "").strip();
        OperatorJvm builds = buildJava.isEmpty() ? image : OperatorJvm.at(Path.of(buildJava));
        // -Dmeasure.before=<target dir of an earlier build, made as `make measure` makes it>: that build, without cache
        String before = System.getProperty("measure.before", "").strip();
        if (!before.isEmpty()) {
            configs.put("before", new Config(builds, JvmOptions.shippedWithoutCache(), Path.of(before, "quarkus-app", "quarkus-run.jar"),
                    Path.of(before, "measure-app", "quarkus-run.jar")));
        }

        // -Dmeasure.candidate=<target dir of another build>: that build with the shipped options, cache included
        String candidate = System.getProperty("measure.candidate", "").strip();
        if (!candidate.isEmpty()) {
            configs.put("candidate", new Config(builds, JvmOptions.inContainerOf(shipped), Path.of(candidate, "quarkus-app", "quarkus-run.jar"),
                    Path.of(candidate, "measure-app", "quarkus-run.jar")));
        }

        String only = System.getProperty("measure.configs", "").strip();
        if (!only.isEmpty()) {
            configs.keySet().retainAll(List.of(only.split(",")));
        }
        // every build measured is there (-Dmeasure.before and -Dmeasure.candidate name directories of other builds)
        configs.values().forEach(c -> requireBuilt(c.jar(), c.noSsaJar()));

        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        // the starts take turns, so that a change of the machine's load falls on every configuration alike
        Map<String, List<Long>> starts = new LinkedHashMap<>();
        long[] cpuBefore = cpuTicks();
        for (int i = 1; i <= runs; i++) {
            for (var config : configs.entrySet()) {
                starts.computeIfAbsent(config.getKey(), k -> new ArrayList<>()).add(startToReadyMs(config.getValue()));
            }
        }
        long[] cpuAfter = cpuTicks();
        // a virtual machine's host can take CPU time from it (steal): the same start then takes longer
        double stealPercent = 100.0 * (cpuAfter[1] - cpuBefore[1]) / Math.max(1, cpuAfter[0] - cpuBefore[0]);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("cpu_steal_percent_during_starts", String.format(java.util.Locale.ROOT, "%.1f", stealPercent));
        List<String> report = new ArrayList<>();
        for (var config : configs.entrySet()) {
            String suffix = config.getKey().equals("shipped") ? "" : "_" + config.getKey();
            long[] rss = rssIdleAndLoaded(config.getValue());
            List<Long> own = starts.get(config.getKey());
            long median = own.stream().sorted().toList().get(own.size() / 2);
            results.put("start_to_ready_ms" + suffix, median);
            results.put("rss_idle_mib" + suffix, rss[0]);
            results.put("rss_" + GLANCEAPIS + "_glanceapis_mib" + suffix, rss[1]);
            report.add(String.format("%-15s start-to-ready %s ms (median %d), RSS idle %d MiB, with %d GlanceAPIs %d MiB%n    %s: %s %s",
                    config.getKey(), own, median, rss[0], GLANCEAPIS, rss[1], config.getValue().runtime(), config.getValue().jar(),
                    String.join(" ", config.getValue().jvm())));
        }
        System.out.println("\n==== operator start-to-ready and RSS (JVM) ====");
        // other work on the machine skews these numbers: show it
        System.out.println("load average before/after: " + loadBefore + " / " + Files.readString(Path.of("/proc/loadavg")).strip()
                + ", cpus: " + Runtime.getRuntime().availableProcessors() + String.format(java.util.Locale.ROOT,
                        ", CPU time the host took (steal) during the starts: %.1f%%", stealPercent));
        report.forEach(System.out::println);
        org.openstack.glanceimport.support.BenchJson.merge(results);
    }

    /**
     * Fails, never skips, when a jar to measure is missing: a measurement run that measured nothing must not look like
     * one that did.
     */
    static void requireBuilt(Path... jars) {
        for (Path jar : jars) {
            if (!Files.isRegularFile(jar)) {
                throw new AssertionError("no " + jar.toAbsolutePath() + ": `make measure` builds " + OperatorProcess.JAR + " and "
                        + NO_SSA_JAR + " before it measures (-Dmeasure.jars, -Dmeasure.before and -Dmeasure.candidate name "
                        + "builds of your own: build those first)");
            }
        }
    }

    /** The JVM, its options, the jar whose start is measured, and the same sources built without SSA for the loaded RSS. */
    record Config(OperatorJvm runtime, List<String> jvm, Path jar, Path noSsaJar) {
        Config withJar(Path other) {
            return new Config(runtime, jvm, other, noSsaJar);
        }
    }

    private static long startToReadyMs(Config config) throws Exception {
        KubernetesMockServer server = OperatorProcess.apiServer(new KubernetesCrudDispatcher(List.of()));
        try (KubernetesClient client = server.createClient()) {
            OperatorProcess.installCrds(client);
            try (OperatorProcess operator = start(config, client)) {
                long readyNanos = operator.awaitReady(Duration.ofSeconds(60));
                if (readyNanos < 0) {
                    throw new IllegalStateException("not ready within 60 s:\n" + String.join("\n", operator.log()));
                }
                // a clean exit, as in a pod: lets exit-time options (-XX:AOTCacheOutput, JFR) do their work
                operator.terminate(Duration.ofSeconds(20));
                return readyNanos / 1_000_000;
            }
        } finally {
            server.destroy();
        }
    }

    /** RSS in MiB 15 s after ready, then with {@link #GLANCEAPIS} GlanceAPIs Ready and 10 s of quiet. */
    private static long[] rssIdleAndLoaded(Config config) throws Exception {
        KubernetesMockServer server = OperatorProcess.apiServer(new KubernetesCrudDispatcher(List.of()));
        try (KubernetesClient client = server.createClient()) {
            OperatorProcess.installCrds(client);
            try (OperatorProcess operator = start(config.withJar(config.noSsaJar()), client)) {
                if (operator.awaitReady(Duration.ofSeconds(60)) < 0) {
                    throw new IllegalStateException("not ready within 60 s:\n" + String.join("\n", operator.log()));
                }
                Thread.sleep(15_000);
                long idle = rssKb(operator.process.pid()) / 1024;
                System.out.println("    idle: " + rssParts(operator.process.pid()));
                jcmd(config.runtime(), operator.process.pid(), "idle");
                reconcileGlanceApis(client, "loaded");
                Thread.sleep(10_000);
                jcmd(config.runtime(), operator.process.pid(), "with " + GLANCEAPIS + " GlanceAPIs");
                System.out.println("    with " + GLANCEAPIS + " GlanceAPIs: " + rssParts(operator.process.pid()));
                return new long[] { idle, rssKb(operator.process.pid()) / 1024 };
            }
        } finally {
            server.destroy();
        }
    }

    private static void reconcileGlanceApis(KubernetesClient client, String ns) throws InterruptedException {
        Samples.apply(client, ns, "minimal.yaml", item -> "Secret".equals(item.getKind()));
        Samples.policies(client, ns, "minimal.yaml", GLANCEAPIS);
        Samples.glanceApis(client, ns, GLANCEAPIS, 1);
        Set<String> marked = new HashSet<>();
        Duration timeout = Duration.ofSeconds(Integer.getInteger("measure.timeout", 300));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            client.batch().v1().jobs().inNamespace(ns).list().getItems().forEach(job -> JobController.finish(client, job));
            StatefulSetController.markNewReady(client, ns, marked);
            if (GlanceApiObjects.readyCount(client, ns) == GLANCEAPIS) {
                return;
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException("not all " + GLANCEAPIS + " GlanceAPIs became Ready within " + timeout + "; first: "
                + Serialization.asJson(client.resources(GlanceAPI.class).inNamespace(ns).withName("glance-0").get().getStatus()));
    }

    private static OperatorProcess start(Config config, KubernetesClient client) throws Exception {
        return start(config, ENV, client.getConfiguration().getMasterUrl(), "default", MEASURE_PROFILE);
    }

    /** Leader election off: the mock's one operator needs no Lease. */
    static final List<String> MEASURE_PROFILE = List.of("-Dquarkus.profile=measure");

    /**
     * The configuration's jar on its JVM with its options, the cache option pointing at a cache trained for them and
     * {@code properties} (the profile, which the training uses too).
     */
    static OperatorProcess start(Config config, Map<String, String> env, String apiUrl, String namespace, List<String> properties)
            throws Exception {
        List<String> options = new ArrayList<>();
        for (String option : config.jvm()) {
            options.add(option.equals(JvmOptions.CACHE_OPTION) ? config.runtime().cacheOption(cacheFor(config, properties)) : option);
        }
        options.addAll(properties);
        return OperatorProcess.start(config.runtime(), config.jar(), env, apiUrl, namespace, null,
                Boolean.getBoolean("measure.verbose"), options.toArray(String[]::new));
    }

    /**
     * The image's cache, trained here for the configuration's jar, JVM and options (a cache holds for one JVM, one jar
     * path and options that agree, e.g. on the object header layout): once per run, as Dockerfile.jvm trains it.
     */
    private static Path cacheFor(Config config, List<String> properties) throws Exception {
        OperatorJvm jvm = config.runtime();
        Path jar = config.jar();
        List<String> training = new ArrayList<>(jvm.accepted(config.jvm().stream().filter(o -> !o.equals(JvmOptions.CACHE_OPTION)).toList()));
        training.addAll(properties);
        Path cache = Path.of("target", "appcds", jar.getParent().getFileName() + "-" + Integer.toHexString(jar.toAbsolutePath().hashCode())
                + "-java" + jvm.feature() + "-" + Integer.toHexString(training.hashCode()) + jvm.cacheSuffix());
        if (TRAINED.add(cache)) {
            Files.createDirectories(cache.getParent());
            List<String> command = new ArrayList<>(List.of(jvm.java()));
            command.addAll(training);
            // an absolute path, as in the image (AotCacheIT says why)
            command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
            AotCacheTraining.train(cache, jvm, command, ENV);
        }
        return cache;
    }

    private static final Set<Path> TRAINED = new HashSet<>();

    static void jcmd(OperatorJvm jvm, long pid, String when) throws Exception {
        String command = System.getProperty("measure.jcmd", "").strip();
        if (command.isEmpty()) {
            return;
        }
        List<String> argv = new ArrayList<>(List.of(jvm.tool("jcmd"), Long.toString(pid)));
        argv.addAll(List.of(command.split("\\s+")));
        Process jcmd = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes());
        jcmd.waitFor();
        System.out.println("==== jcmd " + command + " (" + when + ", RSS " + rssKb(pid) / 1024 + " MiB) ====\n" + out);
    }

    /** All CPU ticks and the stolen ones, from /proc/stat's first line (user nice system idle iowait irq softirq steal). */
    private static long[] cpuTicks() throws Exception {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i <= 8 && i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        return new long[] { total, f.length > 8 ? Long.parseLong(f[8]) : 0 };
    }

    /** Where the RSS is: anonymous memory (heap, metaspace, stacks, code) and mapped files (the jars, the cache). */
    static String rssParts(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.matches("(RssAnon|RssFile|RssShmem|Threads):.*"))
                .map(l -> l.replaceAll("\\s+", " ")).collect(java.util.stream.Collectors.joining(", "));
    }

    static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
