package org.openstack.glanceimport.upgrade;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The release users upgrade from, built from its commit exactly as it was released, once: its source is
 * {@code git archive} of the commit (no worktree registered in the clone, nothing to prune), built offline with its own
 * Maven wrapper ({@code ./mvnw -B -o -q package -DskipTests}; online if the local repository lacks something), and
 * kept in a cache keyed by the commit that survives {@code mvn clean} and is shared by every checkout on the machine:
 * {@code RELEASE_CACHE} (variable or system property), else {@code $XDG_CACHE_HOME} or {@code ~/.cache}, then
 * {@code glance-import-operator/releases/<commit>}. Holds the packaged operator ({@code quarkus-app/}), and the tree's
 * chart ({@code helm/}, with its CRDs) and samples ({@code samples/}) as users had them.
 */
public final class PreviousRelease {

    public static final String VERSION = "0.1.0";
    /** The commit 0.1.0 was: the last before the preStop drain (importDrainSeconds) and autoscaling. */
    public static final String COMMIT = "5299afaa81de4bb6f0a9cbc114c7a9f086185b51";
    private static final long BUILD_MINUTES = 15;

    public final Path dir;

    private PreviousRelease(Path dir) {
        this.dir = dir;
    }

    public Path jar() {
        return dir.resolve("src/target/quarkus-app/quarkus-run.jar");
    }

    public Path chart() {
        return dir.resolve("src/helm");
    }

    public Path samples() {
        return dir.resolve("src/samples");
    }

    /** The cached build, made first if absent (about 30 s to a few minutes, once per machine). */
    public static synchronized PreviousRelease get() {
        try {
            Path root = Files.createDirectories(cacheRoot());
            Path dir = root.resolve(COMMIT);
            try (FileChannel lock = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                lock.lock(); // one build at a time across JVMs and checkouts
                if (!Files.exists(dir.resolve("built"))) {
                    build(dir);
                }
            }
            return new PreviousRelease(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path cacheRoot() {
        String configured = System.getProperty("RELEASE_CACHE", System.getenv("RELEASE_CACHE"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("glance-import-operator").resolve("releases");
    }

    private static void build(Path dir) throws IOException {
        Path partial = dir.resolveSibling(COMMIT + ".partial");
        delete(partial);
        Path src = Files.createDirectories(partial.resolve("src"));
        Path tar = partial.resolve("src.tar");
        // the clone this test runs in has the release's commit (CI clones with full history)
        run(List.of("git", "archive", "--format=tar", "-o", tar.toAbsolutePath().toString(), COMMIT), Path.of("."), partial.resolve("git.log"));
        run(List.of("tar", "-xf", tar.toAbsolutePath().toString()), src, partial.resolve("tar.log"));
        Files.delete(tar);
        List<String> maven = List.of("./mvnw", "-B", "-q", "package", "-DskipTests");
        List<String> offline = new java.util.ArrayList<>(maven);
        offline.add(2, "-o");
        if (!run(offline, src, partial.resolve("build.log"))) {
            if (!run(maven, src, partial.resolve("build-online.log"))) {
                throw new AssertionError(VERSION + " (" + COMMIT + ") did not build; see " + partial.resolve("build.log") + " and "
                        + partial.resolve("build-online.log"));
            }
        }
        if (!Files.exists(src.resolve("target/quarkus-app/quarkus-run.jar"))) {
            throw new AssertionError(VERSION + " built no target/quarkus-app/quarkus-run.jar in " + src);
        }
        Files.writeString(partial.resolve("built"), COMMIT + "\n");
        delete(dir);
        Files.move(partial, dir);
    }

    /** Runs a command in {@code cwd}, its output to {@code log}; true if it exited 0. */
    private static boolean run(List<String> command, Path cwd, Path log) throws IOException {
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(BUILD_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " took more than " + BUILD_MINUTES + " minutes; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new AssertionError("interrupted: " + String.join(" ", command));
        }
        if (p.exitValue() != 0 && command.get(0).equals("git")) {
            throw new AssertionError(String.join(" ", command) + " failed (a clone without " + VERSION + "'s commit?): " + Files.readString(log));
        }
        return p.exitValue() == 0;
    }

    private static void delete(Path path) throws IOException {
        if (Files.exists(path)) {
            try (var all = Files.walk(path)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
