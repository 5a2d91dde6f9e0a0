package org.openstack.glanceimport.support.tools;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What TestTools relies on before it runs anything it fetched: the download is checked against the published sha256,
 * and a mismatch fails loudly and leaves nothing behind. On local files (file: URLs), as the machines that run make test
 * here reach neither github.com nor dl.k8s.io.
 */
class DownloadsTest {

    /** sha256("abc"), FIPS 180-2's example. */
    static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @TempDir
    Path dir;

    @Test
    void sha256OfAFile() throws IOException {
        assertEquals(ABC, Downloads.sha256(Files.writeString(dir.resolve("abc"), "abc")));
    }

    @Test
    void thePublishedSha256IsReadFromAListingOrALoneHash() {
        String listing = """
                0000000000000000000000000000000000000000000000000000000000000001  prometheus-2.53.4.darwin-amd64.tar.gz
                %s  prometheus-2.53.4.linux-amd64.tar.gz
                0000000000000000000000000000000000000000000000000000000000000003 *prometheus-2.53.4.linux-arm64.tar.gz
                """.formatted(ABC.toUpperCase());
        assertEquals(ABC, Downloads.publishedSha256(listing, "prometheus-2.53.4.linux-amd64.tar.gz", "sha256sums.txt"));
        assertEquals("0000000000000000000000000000000000000000000000000000000000000003",
                Downloads.publishedSha256(listing, "prometheus-2.53.4.linux-arm64.tar.gz", "sha256sums.txt"));
        // dl.k8s.io: <binary>.sha256 holds the hash alone
        assertEquals(ABC, Downloads.publishedSha256(ABC + "\n", "kube-controller-manager", "kube-controller-manager.sha256"));
        IllegalStateException unlisted = assertThrows(IllegalStateException.class,
                () -> Downloads.publishedSha256(listing, "prometheus-2.53.4.linux-s390x.tar.gz", "sha256sums.txt"));
        assertTrue(unlisted.getMessage().contains("sha256sums.txt publishes no sha256 for prometheus-2.53.4.linux-s390x.tar.gz"),
                unlisted.getMessage());
        assertThrows(IllegalStateException.class, () -> Downloads.publishedSha256("<html>Not Found</html>", "x", "x.sha256"));
    }

    @Test
    void aDownloadMatchingItsPublishedSha256IsPutInPlace() throws IOException {
        Path published = Files.writeString(dir.resolve("kube-controller-manager"), "abc");
        Files.writeString(dir.resolve("kube-controller-manager.sha256"), ABC);
        Path target = dir.resolve("cache/kube-controller-manager");
        Downloads.fetchVerified(published.toUri(), dir.resolve("kube-controller-manager.sha256").toUri(), target);
        assertEquals("abc", Files.readString(target));
        assertEquals(List.of("kube-controller-manager"), leftIn(target.getParent()));
    }

    @Test
    void aWrongChecksumFailsNamingBothAndLeavesNothing() throws IOException {
        Path published = Files.writeString(dir.resolve("prometheus-2.53.4.linux-amd64.tar.gz"), "not what was published");
        Path sums = Files.writeString(dir.resolve("sha256sums.txt"), ABC + "  prometheus-2.53.4.linux-amd64.tar.gz\n");
        Path target = dir.resolve("cache/prometheus-2.53.4.linux-amd64.tar.gz");
        Downloads.ChecksumMismatch wrong = assertThrows(Downloads.ChecksumMismatch.class,
                () -> Downloads.fetchVerified(published.toUri(), sums.toUri(), target));
        String message = wrong.getMessage();
        assertTrue(message.startsWith("sha256 of prometheus-2.53.4.linux-amd64.tar.gz is " + Downloads.sha256(published) + " but "
                + sums.toUri() + " publishes " + ABC), message);
        assertTrue(message.contains("corrupt or not the published file"), message);
        assertFalse(Files.exists(target));
        assertEquals(List.of(), leftIn(target.getParent()), "no partial download left behind");
    }

    @Test
    void oneBinaryIsExtractedFromAReleaseTarball() throws IOException {
        Path tarball = dir.resolve("prometheus.tar.gz");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(Files.newOutputStream(tarball)))) {
            add(tar, "prometheus-2.53.4.linux-amd64/prometheus", "server");
            add(tar, "prometheus-2.53.4.linux-amd64/promtool", "tool");
        }
        Path promtool = Downloads.extract(tarball, "promtool", dir.resolve("cache/promtool"));
        assertEquals("tool", Files.readString(promtool));
        assertTrue(Files.isExecutable(promtool));
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> Downloads.extract(tarball, "etcd", dir.resolve("cache/etcd")));
        assertEquals("prometheus.tar.gz holds no etcd", missing.getMessage());
    }

    private static void add(TarArchiveOutputStream tar, String name, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        ((OutputStream) tar).write(bytes);
        tar.closeArchiveEntry();
    }

    private static List<String> leftIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
