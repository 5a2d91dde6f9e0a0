package org.openstack.glanceimport.stores;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.openstack.glanceimport.api.stores.SwiftBackend;
import org.openstack.glanceimport.validation.InputProblem;

/**
 * Whether Glance could use a Swift container: log in ({@link SwiftAuth}), then HEAD the container. Fields are relative
 * to the store ("swift.container"); the caller prefixes them.
 */
final class SwiftCheck {

    private final StoreHttp http;
    private final SwiftAuth auth;

    SwiftCheck(StoreHttp http) {
        this.http = http;
        this.auth = new SwiftAuth(http);
    }

    /** Empty when the container is usable (or missing and Glance may create it), or when the Secret lacks a key to try. */
    List<InputProblem> check(SwiftBackend swift, Map<String, String> secret) {
        boolean v3 = !"1".equals(swift.authVersion);
        if (blank(secret.get("user")) || blank(secret.get("key")) || (v3 && blank(secret.get("project_name")))) {
            return List.of(); // the missing key is the Secret check's to report; nothing to try with
        }
        if (StoreHttp.parse(swift.authAddress) == null) {
            return List.of(new InputProblem("SwiftAuthUnreachable", "swift.authAddress", "the Swift auth endpoint "
                    + swift.authAddress + " is not a URL with a host name"));
        }
        HttpClient client;
        try {
            client = http.client(secret.get("ca.crt"));
        } catch (IllegalArgumentException e) {
            return List.of(new InputProblem("InvalidCertificate", "swift.secretName", "key \"ca.crt\" of Secret \""
                    + swift.secretName + "\" holds no usable PEM certificate"));
        }
        SwiftAuth.Login login;
        try {
            login = auth.login(client, swift, secret);
        } catch (IOException e) {
            return List.of(new InputProblem("SwiftAuthUnreachable", "swift.authAddress", "the Swift auth endpoint "
                    + SwiftAuth.shown(swift) + " cannot be reached: " + StoreHttp.describe(e)));
        } catch (IllegalArgumentException e) {
            // a URL the JDK client will not send, here or in the answer's X-Storage-Url
            return List.of(new InputProblem("SwiftAuthUnreachable", "swift.authAddress", "the Swift auth endpoint "
                    + SwiftAuth.shown(swift) + " gives no usable URL (" + e.getClass().getSimpleName() + ")"));
        }
        if (login.problem() != null) {
            return List.of(login.problem());
        }
        if (login.storageUrl() == null) {
            return List.of(); // Keystone lists no object store for the project: nothing to look at before Glance does
        }
        return container(client, swift, login);
    }

    private List<InputProblem> container(HttpClient client, SwiftBackend swift, SwiftAuth.Login login) {
        String base = login.storageUrl().toString().replaceAll("/+$", "");
        HttpResponse<String> r;
        try {
            URI url = URI.create(base + "/" + StoreHttp.percentEncode(swift.container));
            r = http.send(client, http.request(url).method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .header("X-Auth-Token", login.token()).build());
        } catch (IOException | IllegalArgumentException e) {
            return List.of(new InputProblem("SwiftStorageUnreachable", "swift.authAddress", "the Swift storage URL "
                    + StoreHttp.shown(login.storageUrl()) + " (from " + SwiftAuth.shown(swift) + ") cannot be reached: "
                    + (e instanceof IOException io ? StoreHttp.describe(io) : "not a usable URL")));
        }
        String where = "container \"" + swift.container + "\" at " + StoreHttp.shown(login.storageUrl());
        return switch (r.statusCode()) {
            case 200, 204 -> List.of();
            case 404 -> Boolean.FALSE.equals(swift.createContainer)
                    ? List.of(new InputProblem("SwiftContainerMissing", "swift.container", where + " does not exist and "
                            + "createContainer is false: create the container or set createContainer"))
                    : List.of();
            case 401, 403 -> List.of(new InputProblem("SwiftContainerForbidden", "swift.container", where + " may not be "
                    + "used with the credentials in Secret \"" + swift.secretName + "\" (HTTP " + r.statusCode() + ")"));
            default -> List.of(new InputProblem("SwiftUnexpectedAnswer", "swift.container", where + " answered HTTP "
                    + r.statusCode() + " to HEAD"));
        };
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
