package org.openstack.glanceimport.stores;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;

import org.openstack.glanceimport.validation.CaTrust;

/**
 * How the store checks speak HTTP: the JDK client (nothing to register for a native image), HTTP/1.1, and short
 * timeouts, because a check runs inside a reconcile and a dead endpoint must not hold the reconciler for long.
 */
public final class StoreHttp {

    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final Duration connectTimeout;
    private final Duration requestTimeout;

    public StoreHttp() {
        this(CONNECT_TIMEOUT, REQUEST_TIMEOUT);
    }

    /** Other timeouts: tests that wait for one do not want to wait 5 s. */
    public StoreHttp(Duration connectTimeout, Duration requestTimeout) {
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
    }

    /**
     * A client trusting exactly {@code caPem} (a Secret's ca.crt) or, when null, the JVM's default CAs.
     *
     * @throws IllegalArgumentException when the bundle holds no certificate
     */
    HttpClient client(String caPem) {
        // HTTP/1.1: the JDK client otherwise offers an h2c upgrade, which some S3 and Swift front ends mishandle
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (caPem != null && !caPem.isBlank()) {
            builder.sslContext(CaTrust.sslContext(caPem));
        }
        return builder.build();
    }

    HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(requestTimeout);
    }

    HttpResponse<String> send(HttpClient client, HttpRequest request) throws IOException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    /** An I/O failure in a few words for a message: the kind and the JDK's text, which names no credential. */
    static String describe(IOException e) {
        Throwable t = e;
        // the JDK client wraps the interesting part (connection refused, unknown host, PKIX) in a bare ConnectException
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** The URL, or null when it is none the client could send to (no host: the schema's pattern lets a few through). */
    static URI parse(String url) {
        try {
            URI uri = new URI(url);
            return uri.getHost() == null ? null : uri;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    /** A URL as messages show it: without any user:password@ part. */
    static String shown(URI uri) {
        return uri.getRawUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getRawUserInfo() + "@", "");
    }

    /** RFC 3986 percent-encoding: unreserved characters stay, every other byte is %XX in upper-case hex (AWS's rule too). */
    static String percentEncode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }
}
