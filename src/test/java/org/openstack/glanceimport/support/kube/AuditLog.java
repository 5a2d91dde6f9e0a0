package org.openstack.glanceimport.support.kube;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * kube-apiserver's audit log (one JSON event per line, written before the response goes out): every request that
 * reached the server, who sent it and what it answered. Read from a mark, so a test sees only its own period.
 */
public final class AuditLog {

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Set<String> WRITE_VERBS = Set.of("create", "update", "patch", "delete", "deletecollection");

    private final Path file;

    AuditLog(Path file) {
        this.file = file;
    }

    /** One request as the server saw it. */
    public record Request(String user, String userAgent, String verb, String apiGroup, String resource, String subresource,
            String namespace, String name, int code, String uri, JsonNode body) {

        public boolean write() {
            return WRITE_VERBS.contains(verb);
        }

        /** e.g. {@code patch statefulsets}, {@code update glanceapis/status}. */
        public String kind() {
            return verb + " " + resource + (subresource == null ? "" : "/" + subresource);
        }

        /** Leases (leader election) and Events are no write of the operand's, and are counted apart. */
        public boolean bookkeeping() {
            return "leases".equals(resource) || "events".equals(resource);
        }
    }

    /** Where the log ends now. */
    public long mark() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The requests logged since {@code mark}. */
    public List<Request> since(long mark) {
        List<Request> requests = new ArrayList<>();
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            in.seek(mark);
            byte[] rest = new byte[(int) (in.length() - mark)];
            in.readFully(rest);
            String text = new String(rest, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            for (String line : text.substring(0, end + 1).split("\n")) {
                if (!line.isBlank()) {
                    requests.add(parse(JSON.readTree(line)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return requests;
    }

    public List<Request> since(long mark, Predicate<Request> which) {
        return since(mark).stream().filter(which).toList();
    }

    /** The operator's writes (its ServiceAccount's), Leases and Events left out. */
    public List<Request> operatorWrites(long mark) {
        return since(mark, r -> RealApiServer.OPERATOR_USER.equals(r.user()) && r.write() && !r.bookkeeping());
    }

    /** Returns once the operator has sent no write for {@code quiet} (at most 5 minutes). */
    public void awaitOperatorQuiet(java.time.Duration quiet) {
        long[] last = { mark(), System.nanoTime() };
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(5)).pollInterval(java.time.Duration.ofSeconds(1)).until(() -> {
            if (!operatorWrites(last[0]).isEmpty()) {
                last[0] = mark();
                last[1] = System.nanoTime();
            }
            return System.nanoTime() - last[1] > quiet.toNanos();
        });
    }

    /** Counts by {@link Request#kind()}, sorted. */
    public static Map<String, Long> byKind(List<Request> requests) {
        return requests.stream().collect(Collectors.groupingBy(Request::kind, TreeMap::new, Collectors.counting()));
    }

    private static Request parse(JsonNode e) {
        JsonNode ref = e.path("objectRef");
        return new Request(e.path("user").path("username").asText(), e.path("userAgent").asText(), e.path("verb").asText(),
                text(ref, "apiGroup"), text(ref, "resource"), text(ref, "subresource"), text(ref, "namespace"), text(ref, "name"),
                e.path("responseStatus").path("code").asInt(), e.path("requestURI").asText(),
                e.has("requestObject") ? e.get("requestObject") : null);
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
