package org.openstack.glanceimport.stores;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for S3 requests without a body, written out rather than pulled in with an SDK: the SDKs are
 * large and reflective, and the operator only signs one GET. Follows the published algorithm: canonical request,
 * string to sign over its hash, HMAC-SHA256 with a key derived from the secret, date, region and service.
 */
final class SigV4 {

    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    /** SHA-256 of the empty body; S3 wants it in x-amz-content-sha256 as well as in the canonical request. */
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final String accessKey;
    private final String secretKey;
    private final String region;
    private final String service;

    SigV4(String accessKey, String secretKey, String region, String service) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.region = region;
        this.service = service;
    }

    /**
     * The headers that sign a body-less request to {@code uri}: x-amz-date, x-amz-content-sha256 and Authorization. The
     * Host header is signed as the JDK client will send it ({@link #hostHeader}); it cannot be set by hand.
     */
    Map<String, String> sign(String method, URI uri, Instant now) {
        String amzDate = AMZ_DATE.format(now);
        Map<String, String> signed = new TreeMap<>();
        signed.put("host", hostHeader(uri));
        signed.put("x-amz-content-sha256", EMPTY_SHA256);
        signed.put("x-amz-date", amzDate);
        Map<String, String> out = new LinkedHashMap<>();
        out.put("x-amz-date", amzDate);
        out.put("x-amz-content-sha256", EMPTY_SHA256);
        out.put("Authorization", authorization(method, uri.getRawPath(), uri.getRawQuery(), signed, amzDate));
        return out;
    }

    /** The Authorization header value for a request whose signed headers are {@code headers} (lower-case names). */
    String authorization(String method, String rawPath, String rawQuery, Map<String, String> headers, String amzDate) {
        String scope = amzDate.substring(0, 8) + "/" + region + "/" + service + "/aws4_request";
        String canonical = canonicalRequest(method, rawPath, rawQuery, headers, EMPTY_SHA256);
        String toSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonical));
        String signature = hex(hmac(signingKey(secretKey, amzDate.substring(0, 8), region, service), toSign));
        return ALGORITHM + " Credential=" + accessKey + "/" + scope + ", SignedHeaders=" + String.join(";", new TreeMap<>(headers).keySet())
                + ", Signature=" + signature;
    }

    /**
     * Method, path, sorted query, the headers as name:value lines in name order, their names, the payload hash. The path
     * is taken as already encoded (S3 does not encode it a second time); query names and values are decoded and
     * re-encoded the strict AWS way (a literal '+' stays a plus, %2B), as the server does before it compares.
     */
    static String canonicalRequest(String method, String rawPath, String rawQuery, Map<String, String> headers, String payloadHash) {
        Map<String, String> sorted = new TreeMap<>(headers);
        StringBuilder lines = new StringBuilder();
        sorted.forEach((k, v) -> lines.append(k).append(':').append(v.strip().replaceAll("\\s+", " ")).append('\n'));
        return method + "\n" + (rawPath == null || rawPath.isEmpty() ? "/" : rawPath) + "\n" + canonicalQuery(rawQuery) + "\n"
                + lines + "\n" + String.join(";", sorted.keySet()) + "\n" + payloadHash;
    }

    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            pairs.add(StoreHttp.percentEncode(decode(name)) + "=" + StoreHttp.percentEncode(decode(value)));
        }
        pairs.sort(null);
        return String.join("&", pairs);
    }

    /** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
    static byte[] signingKey(String secret, String date, String region, String service) {
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        return hmac(key, "aws4_request");
    }

    /** What the JDK client sends as Host: the port only when it is not the scheme's default. */
    static String hostHeader(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1 || port == ("https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public String toString() {
        // neither key leaves this object, not even through a log line that prints it
        return "SigV4[" + region + "/" + service + "]";
    }
}
