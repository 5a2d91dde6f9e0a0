package org.openstack.glanceimport.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM that runs the packaged operator in the tests that run it as a pod does (OperatorProcess): the image's JDK
 * ({@link #IMAGE_FEATURE}, Dockerfile.jvm) when the build machine has one (-Doperator.java.home, which the pom sets where
 * /usr/lib/jvm/temurin-25-jdk-amd64 exists), else the JVM of the tests. The build itself stays on Java 17, and so does
 * the bytecode: only these runs must match the image.
 * <p>
 * The class-data cache differs by JDK: 25 writes an AOT cache (JEP 483/514: classes loaded and linked, constant pools
 * resolved, at the end of one training run), 17 a dynamic CDS archive (classes parsed and verified only).
 */
public record OperatorJvm(Path home, int feature) {

    /** The major version of the operator image's JDK (ubi9/openjdk-25-runtime). */
    public static final int IMAGE_FEATURE = 25;

    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    private static OperatorJvm resolved;

    /** The operator's JVM for this build (see the class comment). */
    public static synchronized OperatorJvm resolve() {
        if (resolved == null) {
            String configured = System.getProperty("operator.java.home", "").strip();
            resolved = at(Path.of(configured.isEmpty() ? System.getProperty("java.home") : configured));
            if (resolved.feature() != IMAGE_FEATURE) {
                System.err.println("[OperatorJvm] the packaged operator runs on " + resolved + ", not on the image's Java " + IMAGE_FEATURE
                        + ": set -Doperator.java.home to a Java " + IMAGE_FEATURE + " to test what the image runs");
            }
        }
        return resolved;
    }

    /** The JVM running this code. */
    public static OperatorJvm current() {
        return new OperatorJvm(Path.of(System.getProperty("java.home")), Runtime.version().feature());
    }

    /** The JDK or JRE installed at {@code home}, its major version read from its release file. */
    public static OperatorJvm at(Path home) {
        try {
            Matcher m = VERSION.matcher(Files.readString(home.resolve("release")));
            if (!m.find()) {
                throw new IllegalStateException("no JAVA_VERSION in " + home.resolve("release"));
            }
            return new OperatorJvm(home, Integer.parseInt(m.group(1)));
        } catch (IOException e) {
            throw new UncheckedIOException("not a JDK: " + home, e);
        }
    }

    public String java() {
        return tool("java");
    }

    public String tool(String name) {
        return home.resolve("bin").resolve(name).toString();
    }

    public boolean writesAotCache() {
        return feature >= 25;
    }

    /** The option with which a training run writes the cache when it exits. */
    public String trainingOption(Path cache) {
        return (writesAotCache() ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + cache.toAbsolutePath();
    }

    /** The option with which a run reads the cache (ignoring it when it does not fit this JVM). */
    public String cacheOption(Path cache) {
        return (writesAotCache() ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + cache.toAbsolutePath();
    }

    /** The option that makes a JVM refuse to start when the cache does not fit it, instead of starting slowly. */
    public String cacheRequired() {
        return writesAotCache() ? "-XX:AOTMode=on" : "-Xshare:on";
    }

    public String cacheSuffix() {
        return writesAotCache() ? ".aot" : ".jsa";
    }

    /**
     * {@code options} less those this JVM does not know and would refuse to start with: the image's 25 is given
     * --sun-misc-unsafe-memory-access (23+), which a JDK 17 fallback rejects.
     */
    public List<String> accepted(List<String> options) {
        return options.stream().filter(o -> feature >= 23 || !o.startsWith("--sun-misc-unsafe-memory-access")).toList();
    }

    @Override
    public String toString() {
        return "Java " + feature + " at " + home;
    }
}
