package org.openstack.glanceimport.support.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Downloads for {@link TestTools}, each verified against the sha256 its publisher publishes beside it before it is used:
 * a download whose checksum differs is deleted and fails with both checksums named. Plain {@link URLConnection}s, so
 * that the same code runs on {@code file:} URLs in DownloadsTest.
 */
public final class Downloads {

    /** A download whose sha256 is not the published one. */
    public static final class ChecksumMismatch extends IllegalStateException {
        ChecksumMismatch(String message) {
            super(message);
        }
    }

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private Downloads() {
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The sha256 that {@code published} gives for {@code fileName}: either a sha256sum listing (one {@code <hex>  <name>}
     * or {@code <hex> *<name>} per line, as Prometheus' sha256sums.txt and etcd's SHA256SUMS are), or a file holding only
     * the hash (dl.k8s.io's {@code <binary>.sha256}).
     */
    public static String publishedSha256(String published, String fileName, String source) {
        String text = published.strip();
        if (SHA256.matcher(text).matches()) {
            return text.toLowerCase(Locale.ROOT);
        }
        List<String> names = new ArrayList<>();
        for (String line : text.lines().toList()) {
            String[] f = line.strip().split("\\s+", 2);
            if (f.length == 2 && SHA256.matcher(f[0]).matches()) {
                String name = f[1].startsWith("*") ? f[1].substring(1) : f[1];
                if (name.equals(fileName) || name.endsWith("/" + fileName)) {
                    return f[0].toLowerCase(Locale.ROOT);
                }
                names.add(name);
            }
        }
        throw new IllegalStateException(source + " publishes no sha256 for " + fileName
                + (names.isEmpty() ? ": it is not a sha256 listing" : " (it lists " + String.join(", ", names) + ")"));
    }

    /**
     * Fails, naming the file ({@code name}: what was downloaded), both checksums and where the expected one comes from,
     * when {@code file}'s differs.
     */
    public static void verifySha256(Path file, String name, String expected, String source) throws IOException {
        String actual = sha256(file);
        if (!actual.equalsIgnoreCase(expected)) {
            throw new ChecksumMismatch("sha256 of " + name + " is " + actual + " but " + source + " publishes "
                    + expected.toLowerCase(Locale.ROOT) + ": the download is corrupt or not the published file; it was deleted, "
                    + "nothing was installed");
        }
    }

    /**
     * {@code url} to {@code target} once its sha256 equals what {@code sums} publishes for the file's name (the last
     * segment of the URL's path). The file is written beside the target first and moved into place only when verified,
     * so a target that exists was verified.
     */
    public static Path fetchVerified(URI url, URI sums, Path target) throws IOException {
        String fileName = Path.of(url.getPath()).getFileName().toString();
        String expected = publishedSha256(new String(read(sums), StandardCharsets.UTF_8), fileName, sums.toString());
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path partial = Files.createTempFile(target.toAbsolutePath().getParent(), fileName, ".partial");
        try {
            try (InputStream in = open(url); OutputStream out = Files.newOutputStream(partial)) {
                in.transferTo(out);
            }
            verifySha256(partial, fileName, expected, sums.toString());
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** The one entry of a .tar.gz whose path ends in {@code /name} (or is {@code name}), written executable to {@code target}. */
    public static Path extract(Path tarGz, String name, Path target) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(Files.newInputStream(tarGz)))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null;) {
                if (entry.isFile() && (entry.getName().equals(name) || entry.getName().endsWith("/" + name))) {
                    Files.createDirectories(target.toAbsolutePath().getParent());
                    Path partial = Files.createTempFile(target.toAbsolutePath().getParent(), name, ".partial");
                    try {
                        Files.copy(tar, partial, StandardCopyOption.REPLACE_EXISTING);
                        makeExecutable(partial);
                        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    } finally {
                        Files.deleteIfExists(partial);
                    }
                    return target;
                }
            }
        }
        throw new IllegalStateException(tarGz.getFileName() + " holds no " + name);
    }

    public static void makeExecutable(Path file) {
        if (!file.toFile().setExecutable(true, false)) {
            throw new UncheckedIOException(new IOException("cannot make " + file + " executable"));
        }
    }

    static byte[] read(URI url) throws IOException {
        try (InputStream in = open(url)) {
            return in.readAllBytes();
        }
    }

    /**
     * An http(s) or file URL; HTTPS_PROXY/https_proxy is honoured (the JDK reads only -Dhttps.proxyHost), and redirects
     * to the same scheme are followed (GitHub's release downloads and dl.k8s.io redirect to their CDNs).
     */
    static InputStream open(URI url) throws IOException {
        URLConnection connection = proxy(url).map(p -> {
            try {
                return url.toURL().openConnection(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).orElse(url.toURL().openConnection());
        connection.setConnectTimeout(30_000);
        connection.setReadTimeout(120_000);
        if (connection instanceof HttpURLConnection http) {
            http.setInstanceFollowRedirects(true);
            int status = http.getResponseCode();
            if (status != 200) {
                throw new IOException("GET " + url + ": HTTP " + status);
            }
        }
        return connection.getInputStream();
    }

    private static java.util.Optional<Proxy> proxy(URI url) {
        if (!"https".equals(url.getScheme()) || System.getProperty("https.proxyHost") != null) {
            return java.util.Optional.empty();
        }
        String configured = System.getenv("HTTPS_PROXY") != null ? System.getenv("HTTPS_PROXY") : System.getenv("https_proxy");
        if (configured == null || configured.isBlank()) {
            return java.util.Optional.empty();
        }
        String noProxy = System.getenv("NO_PROXY") != null ? System.getenv("NO_PROXY") : System.getenv("no_proxy");
        if (noProxy != null && java.util.Arrays.stream(noProxy.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .anyMatch(h -> url.getHost().endsWith(h.startsWith(".") ? h : "." + h) || url.getHost().equals(h))) {
            return java.util.Optional.empty();
        }
        URI proxy = URI.create(configured.contains("://") ? configured : "http://" + configured);
        return java.util.Optional.of(new Proxy(Proxy.Type.HTTP, new InetSocketAddress(proxy.getHost(), proxy.getPort() > 0 ? proxy.getPort() : 80)));
    }
}
