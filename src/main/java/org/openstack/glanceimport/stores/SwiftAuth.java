package org.openstack.glanceimport.stores;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.openstack.glanceimport.api.stores.SwiftBackend;
import org.openstack.glanceimport.config.ServiceCredentials;
import org.openstack.glanceimport.glance.GlanceImageClient;
import org.openstack.glanceimport.validation.InputProblem;

/**
 * Logs in to Swift the way Glance's single-tenant swift driver does: v1 (TempAuth, radosgw's swift_auth) with
 * X-Auth-User/X-Auth-Key, or a Keystone v3 password token scoped to the project, whose catalog names the object store.
 * The token is used once and never shown.
 */
final class SwiftAuth {

    /** A storage URL and token, or the problem that prevented one; neither when Keystone lists no object store. */
    record Login(URI storageUrl, String token, InputProblem problem) {
        static Login failed(InputProblem problem) {
            return new Login(null, null, problem);
        }

        @Override
        public String toString() {
            return "Login[" + storageUrl + ", " + (problem == null ? "" : problem.reason()) + "]";
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StoreHttp http;

    SwiftAuth(StoreHttp http) {
        this.http = http;
    }

    Login login(HttpClient client, SwiftBackend swift, Map<String, String> secret) throws IOException {
        return "1".equals(swift.authVersion) ? v1(client, swift, secret) : v3(client, swift, secret);
    }

    private Login v1(HttpClient client, SwiftBackend swift, Map<String, String> secret) throws IOException {
        HttpResponse<String> r = http.send(client, http.request(URI.create(swift.authAddress)).GET()
                .header("X-Auth-User", secret.get("user").strip()).header("X-Auth-Key", secret.get("key").strip()).build());
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            return Login.failed(refused(swift, r.statusCode()));
        }
        Optional<String> storage = r.headers().firstValue("X-Storage-Url");
        Optional<String> token = r.headers().firstValue("X-Auth-Token");
        if (r.statusCode() / 100 != 2 || storage.isEmpty() || token.isEmpty()) {
            return Login.failed(unexpected(swift, r.statusCode(), "without X-Storage-Url and X-Auth-Token; is this a v1 auth URL?"));
        }
        return new Login(URI.create(storage.get()), token.get(), null);
    }

    private Login v3(HttpClient client, SwiftBackend swift, Map<String, String> secret) throws IOException {
        ServiceCredentials.Keystone ks = new ServiceCredentials.Keystone(swift.authAddress, secret.get("user").strip(),
                secret.get("key").strip(), secret.get("project_name").strip(), secret.getOrDefault("user_domain_name", "Default").strip(),
                secret.getOrDefault("project_domain_name", "Default").strip(), null);
        HttpResponse<String> r = http.send(client, http.request(GlanceImageClient.tokensUri(swift.authAddress))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(GlanceImageClient.tokenRequest(ks))).build());
        if (r.statusCode() == 401) {
            return Login.failed(refused(swift, 401));
        }
        Optional<String> token = r.headers().firstValue("X-Subject-Token");
        if (r.statusCode() != 201 || token.isEmpty()) {
            return Login.failed(unexpected(swift, r.statusCode(), "to a v3 password token request; is this Keystone's v3 URL?"));
        }
        return objectStore(r.body()).map(url -> new Login(url, token.get(), null)).orElse(new Login(null, null, null));
    }

    /** The object store's public endpoint in the token's catalog (Glance's default endpoint type), else any of its. */
    static Optional<URI> objectStore(String tokenBody) {
        try {
            JsonNode endpoints = null;
            for (JsonNode service : JSON.readTree(tokenBody).path("token").path("catalog")) {
                if ("object-store".equals(service.path("type").asText())) {
                    endpoints = service.path("endpoints");
                }
            }
            if (endpoints == null || endpoints.isEmpty()) {
                return Optional.empty();
            }
            JsonNode chosen = endpoints.get(0);
            for (JsonNode e : endpoints) {
                if ("public".equals(e.path("interface").asText())) {
                    chosen = e;
                    break;
                }
            }
            String url = chosen.path("url").asText("");
            return url.isEmpty() ? Optional.empty() : Optional.of(URI.create(url));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static InputProblem refused(SwiftBackend swift, int status) {
        return new InputProblem("SwiftCredentialsRefused", "swift.secretName", "the Swift auth endpoint " + shown(swift)
                + " refused the credentials in Secret \"" + swift.secretName + "\" (HTTP " + status + "): check its user and key"
                + ("1".equals(swift.authVersion) ? "" : ", project_name and domains"));
    }

    private static InputProblem unexpected(SwiftBackend swift, int status, String what) {
        return new InputProblem("SwiftUnexpectedAnswer", "swift.authAddress", "the Swift auth endpoint " + shown(swift)
                + " answered HTTP " + status + " " + what);
    }

    static String shown(SwiftBackend swift) {
        return StoreHttp.shown(URI.create(swift.authAddress));
    }
}
