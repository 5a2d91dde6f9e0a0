package org.openstack.glanceimport.support.tools;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The programs `make test` runs besides the JVM, found or fetched the same way for each, so that a machine with a JDK
 * and network needs nothing else:
 * <ul>
 * <li>promtool (Prometheus; AlertRulesTest);</li>
 * <li>a Kubernetes {@value #KUBERNETES} control plane (RealApiServer): kube-apiserver, etcd and kubectl laid out for
 * io.fabric8:kube-api-test under {@link #kubeApiTestDir()}, and kube-controller-manager beside them. kube-api-test's own
 * download cannot provide them: it fetches controller-tools' envtest builds, which exist for 1.26.0 and 1.26.1 but not
 * for {@value #KUBERNETES}, and none has a kube-controller-manager.</li>
 * </ul>
 * Each is taken from the first of these that has it:
 * <ol>
 * <li>named explicitly: the environment variable or system property PROMTOOL, KUBE_CONTROLLER_MANAGER, ETCD, KUBECTL,
 * KUBE_APISERVER (the path of the binary), or KUBE_API_TEST_DIR (a laid-out directory); a name that is not an
 * executable fails;</li>
 * <li>this machine: promtool, etcd, kubectl on PATH; for the control plane ../shared/k8s/install.sh (or SHARED_K8S's),
 * which this project's machines have (no registry they reach serves these binaries);</li>
 * <li>the cache ({@code TEST_TOOLS_CACHE}, else {@code $XDG_CACHE_HOME} or {@code ~/.cache}, then
 * {@code glance-import-operator/test-tools}), where an earlier run put it;</li>
 * <li>for promtool and etcd, Debian's package (prometheus, etcd-server) where apt-get is usable (its package lists readable; refreshed if we may write them, i.e. as
 * root): {@code apt-get download} and {@code dpkg-deb -x} into the cache; nothing is installed and no daemon
 * starts;</li>
 * <li>the upstream release, checked against the sha256 its publisher publishes beside it ({@link Downloads}): Prometheus'
 * tarball and sha256sums.txt from github.com, etcd's tarball and SHA256SUMS from github.com, the Kubernetes binaries and
 * their .sha256 from dl.k8s.io. TEST_TOOLS_MIRROR (a base URL, e.g. file:///srv/mirror) fetches them from
 * {@code <base>/<host>/<path>} instead.</li>
 * </ol>
 * A tool none of these yields fails the test that needs it, with every attempt and how to provide it; no test skips for
 * a missing tool. `make test-tools` ({@link #main}) resolves them all ahead, as .ci/run does.
 */
public final class TestTools {

    public static final String KUBERNETES = "1.26.4";
    public static final String PROMETHEUS = "2.53.4";
    /** The etcd Kubernetes 1.26 is built and tested with. */
    public static final String ETCD = "3.5.6";
    /** SHARED_K8S names another directory than ../shared/k8s (SHARED_K8S=none: as on a machine without it). */
    private static final Path SHARED_K8S_INSTALL = explicitPath("SHARED_K8S").orElse(Path.of("../shared/k8s")).resolve("install.sh");

    private static final Map<String, Path> resolved = new LinkedHashMap<>();

    private TestTools() {
    }

    /** Prints where each tool comes from, fetching what is missing: `make test-tools`. */
    public static void main(String[] args) {
        List<String> missing = new ArrayList<>();
        try {
            kubeApiTestDir();
            kubeControllerManager();
        } catch (AssertionError | RuntimeException e) {
            missing.add(e.getMessage());
        }
        try {
            promtool();
        } catch (AssertionError | RuntimeException e) {
            missing.add(e.getMessage());
        }
        resolved.forEach((name, path) -> System.out.println(name.toUpperCase(Locale.ROOT).replace('-', '_') + "=" + path));
        if (!missing.isEmpty()) {
            missing.forEach(System.err::println);
            throw new AssertionError(missing.size() + " test tool(s) missing, see above");
        }
    }

    public static synchronized Path promtool() {
        return resolve("promtool", List.of(explicit("PROMTOOL"), onPath("promtool"),
                cached("prometheus-" + PROMETHEUS, "promtool"), cached("debian-prometheus", "usr/bin/promtool"),
                debian("prometheus", "usr/bin/promtool"), release("prometheus-" + PROMETHEUS, "promtool", URI.create(
                        "https://github.com/prometheus/prometheus/releases/download/v" + PROMETHEUS + "/prometheus-" + PROMETHEUS
                                + ".linux-" + arch() + ".tar.gz"),
                        URI.create("https://github.com/prometheus/prometheus/releases/download/v" + PROMETHEUS + "/sha256sums.txt"))),
                "AlertRulesTest runs it on the shipped rules. Set PROMTOOL to a promtool (2.x), put one on PATH (Debian: "
                        + "apt-get install prometheus), or let the tests fetch it (network access to github.com)");
    }

    /**
     * A directory laid out for kube-api-test ({@code KUBE_API_TEST_DIR}): {@code k8s/<version>-linux-<arch>/} with
     * kube-apiserver, etcd, kubectl and kube-controller-manager. KUBE_API_TEST_DIR if set, else target/kube-api-test.
     */
    public static synchronized Path kubeApiTestDir() {
        Path dir = explicitPath("KUBE_API_TEST_DIR").orElse(Path.of("target/kube-api-test")).toAbsolutePath();
        Path bin = dir.resolve("k8s").resolve(KUBERNETES + "-linux-" + arch());
        List<String> names = List.of("kube-apiserver", "etcd", "kubectl", "kube-controller-manager");
        if (!names.stream().allMatch(n -> Files.isExecutable(bin.resolve(n))) && Files.exists(SHARED_K8S_INSTALL) && "amd64".equals(arch())) {
            // this project's machines: kube-apiserver and kube-controller-manager from ../shared/k8s, etcd and kubectl
            // from Debian (the script installs them)
            run(List.of("bash", SHARED_K8S_INSTALL.toString(), dir.toString()), "../shared/k8s/install.sh");
        }
        List<String> missing = new ArrayList<>();
        try {
            Files.createDirectories(bin);
            for (String name : names) {
                Path at = bin.resolve(name);
                if (Files.isExecutable(at)) {
                    continue;
                }
                Path found;
                try {
                    found = switch (name) {
                        case "etcd" -> etcd();
                        case "kubectl" -> kubernetesBinary("kubectl", List.of(onPath("kubectl")));
                        default -> kubernetesBinary(name, List.of());
                    };
                } catch (AssertionError e) {
                    missing.add(e.getMessage());
                    continue;
                }
                Files.deleteIfExists(at);
                Files.createSymbolicLink(at, found.toAbsolutePath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("no Kubernetes " + KUBERNETES + " control plane in " + bin + ":\n" + String.join("\n", missing));
        }
        resolved.put("kube-api-test-dir", dir);
        return dir;
    }

    /** KUBE_CONTROLLER_MANAGER if set, else the one in {@link #kubeApiTestDir()}. */
    public static synchronized Path kubeControllerManager() {
        Optional<Path> configured = explicitPath("KUBE_CONTROLLER_MANAGER");
        if (configured.isPresent()) {
            return resolve("kube-controller-manager", List.of(explicit("KUBE_CONTROLLER_MANAGER")), "");
        }
        Path kcm = kubeApiTestDir().resolve("k8s").resolve(KUBERNETES + "-linux-" + arch()).resolve("kube-controller-manager");
        resolved.put("kube-controller-manager", kcm);
        return kcm;
    }

    private static Path etcd() {
        String tarball = "etcd-v" + ETCD + "-linux-" + arch() + ".tar.gz";
        String base = "https://github.com/etcd-io/etcd/releases/download/v" + ETCD + "/";
        return resolve("etcd", List.of(explicit("ETCD"), onPath("etcd"), cached("etcd-" + ETCD, "etcd"),
                cached("debian-etcd-server", "usr/bin/etcd"), debian("etcd-server", "usr/bin/etcd"),
                release("etcd-" + ETCD, "etcd", URI.create(base + tarball), URI.create(base + "SHA256SUMS"))),
                "kube-apiserver " + KUBERNETES + " stores in it. Set ETCD to an etcd 3.4 or 3.5, put one on PATH (Debian: "
                        + "apt-get install etcd-server), or let the tests fetch it (network access to github.com)");
    }

    /** A binary of the Kubernetes release: dl.k8s.io publishes each with a .sha256 beside it. */
    private static Path kubernetesBinary(String name, List<Source> local) {
        URI url = URI.create("https://dl.k8s.io/release/v" + KUBERNETES + "/bin/linux/" + arch() + "/" + name);
        List<Source> sources = new ArrayList<>(List.of(explicit(name.toUpperCase(Locale.ROOT).replace('-', '_'))));
        sources.addAll(local);
        sources.add(cached("kubernetes-" + KUBERNETES, name));
        sources.add(binary("kubernetes-" + KUBERNETES, name, url, URI.create(url + ".sha256")));
        return resolve(name, sources, "RealApiServer runs a Kubernetes " + KUBERNETES + " control plane. Set "
                + name.toUpperCase(Locale.ROOT).replace('-', '_') + " or KUBE_API_TEST_DIR, or let the tests fetch it (network "
                + "access to dl.k8s.io)" + (Files.exists(SHARED_K8S_INSTALL) ? "" : "; on this project's machines "
                        + "../shared/k8s/install.sh provides it"));
    }

    /** One way of finding a tool: its path, or empty with the reason in {@code tried}. */
    interface Source {
        Optional<Path> find(List<String> tried) throws IOException, InterruptedException;
    }

    private static Path resolve(String name, List<Source> sources, String hint) {
        Path known = resolved.get(name);
        if (known != null) {
            return known;
        }
        List<String> tried = new ArrayList<>();
        for (Source source : sources) {
            Optional<Path> found;
            try {
                found = source.find(tried);
            } catch (Downloads.ChecksumMismatch e) {
                throw new AssertionError(name + ": " + e.getMessage(), e);
            } catch (IOException | RuntimeException e) {
                tried.add(e.toString());
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (found.isPresent()) {
                System.err.println("[test-tools] " + name + ": " + found.get());
                resolved.put(name, found.get());
                return found.get();
            }
        }
        throw new AssertionError("no " + name + ". " + hint + ".\n  tried: " + String.join("\n  tried: ", tried));
    }

    /** The environment variable or system property {@code name}: when set, it must name an executable. */
    private static Source explicit(String name) {
        return tried -> {
            Optional<Path> path = explicitPath(name);
            if (path.isEmpty()) {
                tried.add(name + " is not set");
                return Optional.empty();
            }
            if (!Files.isExecutable(path.get())) {
                throw new AssertionError(name + "=" + path.get() + " is not an executable file");
            }
            return path;
        };
    }

    private static Optional<Path> explicitPath(String name) {
        return explicitValue(name).map(Path::of);
    }

    private static Optional<String> explicitValue(String name) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    private static Source onPath(String command) {
        return tried -> {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
                if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                    return Optional.of(candidate);
                }
            }
            tried.add(command + " is not on PATH");
            return Optional.empty();
        };
    }

    private static Source cached(String dir, String file) {
        return tried -> {
            Path at = cache().resolve(dir).resolve(file);
            if (Files.isExecutable(at)) {
                return Optional.of(at);
            }
            tried.add("not in the cache (" + at + ")");
            return Optional.empty();
        };
    }

    /** {@code file} of Debian package {@code pkg}, unpacked into the cache (never installed). */
    private static Source debian(String pkg, String file) {
        return tried -> {
            Optional<Path> aptGet = onPath("apt-get").find(new ArrayList<>());
            Optional<Path> dpkgDeb = onPath("dpkg-deb").find(new ArrayList<>());
            if (aptGet.isEmpty() || dpkgDeb.isEmpty()) {
                tried.add("Debian package " + pkg + ": no apt-get or dpkg-deb here");
                return Optional.empty();
            }
            Path target = cache().resolve("debian-" + pkg);
            try (CacheLock lock = lockCache()) {
                if (Files.isExecutable(target.resolve(file))) {
                    return Optional.of(target.resolve(file));
                }
                Path download = Files.createTempDirectory(cache(), "debian-" + pkg + "-");
                try {
                    if (!quietly(List.of("apt-get", "download", pkg), download)) {
                        // stale or missing package lists: refresh them where we may (as root), then try once more
                        if (!Files.isWritable(Path.of("/var/lib/apt/lists"))
                                || !quietly(List.of("apt-get", "update", "-qq"), download)
                                || !quietly(List.of("apt-get", "download", pkg), download)) {
                            tried.add("Debian package " + pkg + ": apt-get download " + pkg + " failed"
                                    + (Files.isWritable(Path.of("/var/lib/apt/lists")) ? "" : " (not root: package lists not refreshed)"));
                            return Optional.empty();
                        }
                    }
                    Path deb;
                    try (var debs = Files.list(download)) {
                        deb = debs.filter(f -> f.getFileName().toString().endsWith(".deb")).findFirst()
                                .orElseThrow(() -> new IOException("apt-get download " + pkg + " wrote no .deb"));
                    }
                    Path unpacked = download.resolve("root");
                    if (!quietly(List.of("dpkg-deb", "-x", deb.toString(), unpacked.toString()), download)
                            || !Files.isExecutable(unpacked.resolve(file))) {
                        tried.add("Debian package " + pkg + ": no executable " + file + " in " + deb.getFileName());
                        return Optional.empty();
                    }
                    deleteTree(target);
                    Files.move(unpacked, target);
                    return Optional.of(target.resolve(file));
                } finally {
                    deleteTree(download);
                }
            }
        };
    }

    /** {@code file} from a release tarball, the tarball checked against the published sha256 first. */
    private static Source release(String dir, String file, URI tarball, URI sums) {
        return tried -> {
            Path target = cache().resolve(dir).resolve(file);
            try (CacheLock lock = lockCache()) {
                if (!Files.isExecutable(target)) {
                    System.err.println("[test-tools] fetching " + mirrored(tarball) + " (checked against " + mirrored(sums) + ")");
                    Path archive = Downloads.fetchVerified(mirrored(tarball), mirrored(sums), cache().resolve(dir).resolve(Path.of(tarball.getPath()).getFileName()));
                    try {
                        Downloads.extract(archive, file, target);
                    } finally {
                        Files.deleteIfExists(archive);
                    }
                }
            }
            return Optional.of(target);
        };
    }

    /** A single-binary download, checked against the published sha256. */
    private static Source binary(String dir, String file, URI url, URI sums) {
        return tried -> {
            Path target = cache().resolve(dir).resolve(file);
            try (CacheLock lock = lockCache()) {
                if (!Files.isExecutable(target)) {
                    System.err.println("[test-tools] fetching " + mirrored(url) + " (checked against " + mirrored(sums) + ")");
                    Path partial = cache().resolve(dir).resolve(file + ".download");
                    Downloads.fetchVerified(mirrored(url), mirrored(sums), partial);
                    Downloads.makeExecutable(partial);
                    Files.move(partial, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return Optional.of(target);
        };
    }

    /** {@code url} at TEST_TOOLS_MIRROR, if set: {@code <mirror>/<host>/<path>}. */
    static URI mirrored(URI url) {
        return explicitValue("TEST_TOOLS_MIRROR").map(base -> URI.create(base.replaceAll("/+$", "") + "/" + url.getHost() + url.getPath())).orElse(url);
    }

    static Path cache() throws IOException {
        Optional<Path> configured = explicitPath("TEST_TOOLS_CACHE");
        Path dir = configured.orElseGet(() -> {
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
            return base.resolve("glance-import-operator").resolve("test-tools");
        });
        return Files.createDirectories(dir);
    }

    /** One fetch at a time across JVMs (surefire's and failsafe's, two checkouts) sharing the cache. */
    private record CacheLock(FileChannel channel) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            channel.close(); // releases the lock
        }
    }

    private static CacheLock lockCache() throws IOException {
        FileChannel channel = FileChannel.open(cache().resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channel.lock();
        return new CacheLock(channel);
    }

    static String arch() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> throw new AssertionError("no test tools for CPU architecture " + arch + " (amd64 and arm64 only)");
        };
    }

    private static boolean quietly(List<String> command, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(command.get(0) + ".log").toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }

    private static void run(List<String> command, String what) {
        try {
            Process p = new ProcessBuilder(command).inheritIO().start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new AssertionError(what + " failed: " + String.join(" ", command));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
