package org.openstack.glanceimport.support.objectstores;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * An S3 endpoint (path-style) that checks signatures the way S3 does: it rebuilds the canonical request from what it
 * received, derives the signing key from the secret it holds for the access key, and refuses a mismatch with 403
 * SignatureDoesNotMatch. Written apart from {@code org.openstack.glanceimport.stores.SigV4} (own canonicalisation, own HMAC), so a signing bug there
 * fails here instead of agreeing with itself.
 */
public final class FakeS3 implements AutoCloseable {

    private static final Pattern AUTH = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/s3/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})");

    public final String region;
    /** access key to secret key */
    public final Map<String, String> users = new ConcurrentHashMap<>();
    /** bucket to the access key that owns it */
    public final Map<String, String> buckets = new ConcurrentHashMap<>();
    /** buckets whose owner may HEAD them but not read their location (a bucket policy withholding GetBucketLocation) */
    public final Set<String> locationDenied = ConcurrentHashMap.newKeySet();
    public final List<String> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    public FakeS3(String region) throws IOException {
        this(region, null);
    }

    /** {@code tls}: serve HTTPS with this context's certificate, or plain HTTP when null. */
    public FakeS3(String region, SSLContext tls) throws IOException {
        this.region = region;
        if (tls == null) {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } else {
            HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public String endpoint() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /**
     * A certificate for 127.0.0.1 signed by {@link #loopbackCa()} (made for these tests, valid for a century), to pass to
     * {@link #FakeS3(String, SSLContext)}. No JVM trusts its CA unless told to, as a store Secret's ca.crt does.
     */
    public static SSLContext loopbackCertificate() throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = FakeS3.class.getClassLoader().getResourceAsStream("tls/stores/loopback.p12")) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        return ssl;
    }

    /** The CA (PEM) that signed {@link #loopbackCertificate()}: what a store Secret's ca.crt holds to trust it. */
    public static String loopbackCa() throws IOException {
        try (InputStream in = FakeS3.class.getClassLoader().getResourceAsStream("tls/stores/loopback-ca.crt")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.add(ex.getRequestMethod() + " " + ex.getRequestURI());
        ex.getRequestBody().readAllBytes();
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        Matcher m = AUTH.matcher(auth == null ? "" : auth);
        if (!m.matches()) {
            answer(ex, 403, "AccessDenied");
            return;
        }
        String secret = users.get(m.group(1));
        if (secret == null) {
            answer(ex, 403, "InvalidAccessKeyId");
            return;
        }
        if (!m.group(3).equals(region)) {
            answer(ex, 400, "AuthorizationHeaderMalformed", "<Region>" + region + "</Region>");
            return;
        }
        List<String> signed = List.of(m.group(4).split(";"));
        String amzDate = ex.getRequestHeaders().getFirst("x-amz-date");
        String payload = ex.getRequestHeaders().getFirst("x-amz-content-sha256");
        if (!signed.containsAll(List.of("host", "x-amz-date", "x-amz-content-sha256")) || amzDate == null
                || !amzDate.startsWith(m.group(2)) || !hex(sha256(new byte[0])).equals(payload)) {
            answer(ex, 403, "AccessDenied");
            return;
        }
        StringBuilder canonical = new StringBuilder(ex.getRequestMethod()).append('\n').append(ex.getRequestURI().getRawPath())
                .append('\n').append(query(ex.getRequestURI().getRawQuery())).append('\n');
        for (String h : signed) {
            canonical.append(h).append(':').append(ex.getRequestHeaders().getFirst(h).trim()).append('\n');
        }
        canonical.append('\n').append(m.group(4)).append('\n').append(payload);
        String scope = m.group(2) + "/" + region + "/s3/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = mac(mac(mac(mac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), m.group(2)), region), "s3"), "aws4_request");
        if (!hex(mac(key, toSign)).equals(m.group(5))) {
            answer(ex, 403, "SignatureDoesNotMatch");
            return;
        }
        String bucket = ex.getRequestURI().getRawPath().replaceAll("^/|/$", "");
        String owner = buckets.get(bucket);
        if (owner == null) {
            answer(ex, 404, "NoSuchBucket");
        } else if (!owner.equals(m.group(1))
                || (locationDenied.contains(bucket) && !ex.getRequestMethod().equals("HEAD"))) {
            answer(ex, 403, "AccessDenied");
        } else {
            answer(ex, 200, null, "<LocationConstraint>" + region + "</LocationConstraint>");
        }
    }

    /** Query pairs as sent, each with "=", in order: the fake relies on the client sending them already encoded. */
    private static String query(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        List<String> pairs = new ArrayList<>();
        for (String p : raw.split("&")) {
            pairs.add(p.contains("=") ? p : p + "=");
        }
        pairs.sort(null);
        return String.join("&", pairs);
    }

    private static void answer(HttpExchange ex, int status, String code) throws IOException {
        answer(ex, status, code, "");
    }

    private static void answer(HttpExchange ex, int status, String code, String extra) throws IOException {
        String body = code == null ? "<?xml version=\"1.0\"?>" + extra
                : "<?xml version=\"1.0\"?><Error><Code>" + code + "</Code>" + extra + "<RequestId>1</RequestId></Error>";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/xml");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] mac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
