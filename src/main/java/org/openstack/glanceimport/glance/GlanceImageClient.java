package org.openstack.glanceimport.glance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.openstack.glanceimport.config.ServiceCredentials;
import org.openstack.glanceimport.keystone.KeystoneTokens;
import org.openstack.glanceimport.validation.CaTrust;

/**
 * Deletes images through the Glance API as a GlanceAPI's service user: a Keystone v3 password token scoped to the
 * service project, then DELETE /v2/images/{id}. The JDK's HTTP client: nothing to register for native.
 */
public final class GlanceImageClient {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ServiceCredentials.Keystone keystone;
    private final URI glance;
    private final HttpClient keystoneHttp;
    private final HttpClient glanceHttp;
    private String token;

    /** {@code glanceCaPem}: the CA bundle that signs the GlanceAPI's serving certificate, null for plain HTTP. */
    public GlanceImageClient(ServiceCredentials.Keystone keystone, URI glance, String glanceCaPem) {
        this.keystone = keystone;
        this.glance = glance;
        // HTTP/1.1: the JDK client otherwise offers an h2c upgrade, which eventlet and uWSGI servers do not speak
        this.keystoneHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT);
        if (glanceCaPem != null && "https".equals(glance.getScheme())) {
            builder.sslContext(CaTrust.sslContext(glanceCaPem));
        }
        this.glanceHttp = builder.build();
    }

    /** The Keystone v3 token request, as sent. */
    public static String tokenRequest(ServiceCredentials.Keystone ks) {
        return KeystoneTokens.request(ks, false);
    }

    public static URI tokensUri(String authUrl) {
        return KeystoneTokens.tokensUri(authUrl);
    }

    public static URI imageUri(URI glance, String imageId) {
        String base = glance.toString().endsWith("/") ? glance.toString() : glance + "/";
        return URI.create(base + "v2/images/" + imageId);
    }

    public ImageDeletion delete(String imageId) {
        return delete(glance, imageId);
    }

    /** The same delete, sent to one glance-api at {@code at} (its own address) instead of the GlanceAPI's Service. */
    public ImageDeletion delete(URI at, String imageId) {
        try {
            if (token == null) {
                HttpResponse<String> r = keystoneHttp.send(HttpRequest.newBuilder(tokensUri(keystone.authUrl())).timeout(TIMEOUT)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(tokenRequest(keystone))).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 401) {
                    return new ImageDeletion(ImageDeletion.Outcome.CREDENTIALS_REJECTED, "Keystone answered 401 at " + tokensUri(keystone.authUrl()));
                }
                token = r.headers().firstValue("X-Subject-Token").orElse(null);
                if (r.statusCode() != 201 || token == null) {
                    return new ImageDeletion(ImageDeletion.Outcome.UNREACHABLE, "Keystone answered " + r.statusCode() + " at "
                            + tokensUri(keystone.authUrl()));
                }
            }
            HttpResponse<String> r = glanceHttp.send(HttpRequest.newBuilder(imageUri(at, imageId)).timeout(TIMEOUT)
                    .header("X-Auth-Token", token).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            return switch (r.statusCode()) {
                case 200, 204 -> new ImageDeletion(ImageDeletion.Outcome.DELETED, null);
                case 404 -> new ImageDeletion(ImageDeletion.Outcome.ALREADY_GONE, null);
                case 401 -> new ImageDeletion(ImageDeletion.Outcome.CREDENTIALS_REJECTED, "Glance answered 401 at " + at);
                case 403, 409 -> new ImageDeletion(ImageDeletion.Outcome.REFUSED, "Glance answered " + r.statusCode() + ": "
                        + firstLine(r.body()));
                case 500, 502, 504 -> new ImageDeletion(ImageDeletion.Outcome.STAGE_HOST_GONE, "Glance answered " + r.statusCode());
                default -> new ImageDeletion(ImageDeletion.Outcome.UNREACHABLE, "Glance answered " + r.statusCode() + " at " + at);
            };
        } catch (IOException e) {
            return new ImageDeletion(ImageDeletion.Outcome.UNREACHABLE, e.getClass().getSimpleName() + " (Keystone "
                    + keystone.authUrl() + ", Glance " + at + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ImageDeletion(ImageDeletion.Outcome.UNREACHABLE, "interrupted");
        }
    }

    private static String firstLine(String body) {
        String text = body == null ? "" : body.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip();
        return text.length() > 200 ? text.substring(0, 200) : text;
    }
}
