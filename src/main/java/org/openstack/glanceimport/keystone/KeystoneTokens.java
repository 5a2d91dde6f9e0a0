package org.openstack.glanceimport.keystone;

import java.net.URI;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.openstack.glanceimport.config.ServiceCredentials;

/** Keystone v3 password token requests: scoped to the user's project, or to the whole system. */
public final class KeystoneTokens {

    private static final ObjectMapper JSON = new ObjectMapper();

    private KeystoneTokens() {
    }

    /** The token request, as sent; {@code system}: a system-scoped token (Keystone's enforce_scope wants one for the catalogue). */
    public static String request(ServiceCredentials.Keystone ks, boolean system) {
        Map<String, Object> user = Map.of("name", ks.username(), "password", ks.password(), "domain", Map.of("name", ks.userDomainName()));
        Map<String, Object> scope = system ? Map.of("system", Map.of("all", true))
                : Map.of("project", Map.of("name", ks.projectName(), "domain", Map.of("name", ks.projectDomainName())));
        Map<String, Object> auth = Map.of("identity", Map.of("methods", List.of("password"), "password", Map.of("user", user)),
                "scope", scope);
        try {
            return JSON.writeValueAsString(Map.of("auth", auth));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keystone's v3 base from an auth_url with or without /v3. */
    public static String v3(String authUrl) {
        String base = authUrl.endsWith("/") ? authUrl.substring(0, authUrl.length() - 1) : authUrl;
        return base.endsWith("/v3") ? base : base + "/v3";
    }

    public static URI tokensUri(String authUrl) {
        return URI.create(v3(authUrl) + "/auth/tokens");
    }
}
