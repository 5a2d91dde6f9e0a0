package org.openstack.glanceimport.validation;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.Secret;

import org.openstack.glanceimport.config.ServiceCredentials;
import org.openstack.glanceimport.config.StoreCredentials;

/**
 * Reads the user's Secrets into credentials, collecting a problem per missing Secret, missing key or unusable value.
 * Messages name the Secret and key, never the value.
 */
public final class SecretInputs {

    private static final Pattern HOST = Pattern.compile("^[A-Za-z0-9._:\\[\\]-]{1,253}$");
    private static final Pattern MON_HOST = Pattern.compile("(?m)^\\s*mon[ _]host\\s*=\\s*\\S+");

    /** Files mounted as they are; every other key lands in an ini line and must stay on one. */
    private static final Set<String> MULTI_LINE_KEYS = Set.of("ceph.conf", "keyring", "tls.crt", "tls.key", "ca.crt");

    private final List<InputProblem> problems = new ArrayList<>();

    public List<InputProblem> problems() {
        return problems;
    }

    /** Decoded data of a Secret, or empty with a problem recorded when it does not exist. */
    public Optional<Map<String, String>> read(String field, String name, Function<String, Secret> lookup) {
        Secret secret = lookup.apply(name);
        if (secret == null) {
            problems.add(new InputProblem("SecretNotFound", field, "Secret \"" + name + "\" not found"));
            return Optional.empty();
        }
        return Optional.of(decode(secret));
    }

    public static Map<String, String> decode(Secret secret) {
        Map<String, String> out = new TreeMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            out.putAll(secret.getStringData());
        }
        return out;
    }

    public Optional<ServiceCredentials.Database> database(String field, String name, Map<String, String> data) {
        String host = require(field, name, data, "host");
        String user = require(field, name, data, "username");
        String password = require(field, name, data, "password");
        String db = data.getOrDefault("database", "glance");
        Integer port = port(field, name, data.getOrDefault("port", "3306"));
        if (host != null && !HOST.matcher(host).matches()) {
            problems.add(new InputProblem("InvalidSecretValue", field, "key \"host\" of Secret \"" + name
                    + "\" is not a host name or address"));
            host = null;
        }
        if (host == null || user == null || password == null || port == null) {
            return Optional.empty();
        }
        return Optional.of(new ServiceCredentials.Database(host, port, db, user, password));
    }

    public Optional<ServiceCredentials.Keystone> keystone(String field, String name, Map<String, String> data) {
        String url = require(field, name, data, "auth_url");
        String user = require(field, name, data, "username");
        String password = require(field, name, data, "password");
        if (url != null && !(url.startsWith("http://") || url.startsWith("https://"))) {
            problems.add(new InputProblem("InvalidSecretValue", field, "key \"auth_url\" of Secret \"" + name
                    + "\" must be an http:// or https:// URL"));
            url = null;
        }
        if (url == null || user == null || password == null) {
            return Optional.empty();
        }
        return Optional.of(new ServiceCredentials.Keystone(url, user, password, data.getOrDefault("project_name", "service"),
                data.getOrDefault("user_domain_name", "Default"), data.getOrDefault("project_domain_name", "Default"),
                data.get("region_name")));
    }

    /** The Ceph Secret is mounted as-is; check what Glance's rbd driver needs before a pod fails on it. */
    public void ceph(String field, String name, Map<String, String> data) {
        String conf = require(field, name, data, "ceph.conf");
        require(field, name, data, "keyring");
        if (conf != null && !MON_HOST.matcher(conf).find()) {
            problems.add(new InputProblem("InvalidSecretValue", field, "key \"ceph.conf\" of Secret \"" + name
                    + "\" has no mon_host; Glance could not reach the Ceph monitors"));
        }
    }

    /** An s3 store's keys and, optionally, the CA its endpoint is verified with. */
    public Optional<StoreCredentials.S3> s3(String field, String name, Map<String, String> data) {
        int before = problems.size();
        StoreCredentials.S3 s3 = new StoreCredentials.S3(require(field, name, data, "access_key"),
                require(field, name, data, "secret_key"), optionalCa(field, name, data));
        return problems.size() == before ? Optional.of(s3) : Optional.empty();
    }

    /**
     * A swift store's user and key; with Keystone (auth version 3) also the project, which glance_store joins to the user
     * as "project:user" and splits at the colon again, so neither may hold one.
     */
    public Optional<StoreCredentials.Swift> swift(String field, String name, Map<String, String> data, boolean keystone) {
        int before = problems.size();
        StoreCredentials.Swift swift = new StoreCredentials.Swift(require(field, name, data, "user"), require(field, name, data, "key"),
                keystone ? require(field, name, data, "project_name") : null,
                keystone ? optional(field, name, data, "user_domain_name", "Default") : null,
                keystone ? optional(field, name, data, "project_domain_name", "Default") : null,
                optionalCa(field, name, data));
        if (keystone) {
            noColon(field, name, "user", swift.user());
            noColon(field, name, "project_name", swift.projectName());
        }
        return problems.size() == before ? Optional.of(swift) : Optional.empty();
    }

    private void noColon(String field, String name, String key, String value) {
        if (value != null && value.contains(":")) {
            problems.add(new InputProblem("InvalidSecretValue", field, "key \"" + key + "\" of Secret \"" + name
                    + "\" contains a colon; Glance's swift driver reads \"project:user\" and would split it there"));
        }
    }

    /** Key ca.crt when present, else null; a problem when it holds no certificate. */
    private String optionalCa(String field, String name, Map<String, String> data) {
        String ca = data.get("ca.crt");
        if (ca == null || ca.isBlank()) {
            return null;
        }
        if (ServingCertificate.certificates(ca).isEmpty()) {
            problems.add(new InputProblem("InvalidCertificate", field, "key \"ca.crt\" of Secret \"" + name
                    + "\" holds no PEM certificate"));
        }
        return ca;
    }

    /** The CA bundle of spec.databaseTLS: key ca.crt, one PEM certificate or more. */
    public Optional<String> databaseCa(String field, String name, Map<String, String> data) {
        String ca = data.get("ca.crt");
        if (ca == null || ca.isBlank()) {
            problems.add(new InputProblem("SecretKeyMissing", field, "Secret \"" + name + "\" has no key \"ca.crt\": the CA "
                    + "the database's certificate is verified with"));
            return Optional.empty();
        }
        return Optional.ofNullable(optionalCa(field, name, data)).filter(pem -> !ServingCertificate.certificates(pem).isEmpty());
    }

    /** An optional single-line key, its default when absent. */
    private String optional(String field, String name, Map<String, String> data, String key, String otherwise) {
        String v = data.get(key);
        return v == null || v.isBlank() ? otherwise : require(field, name, data, key);
    }

    /**
     * The serving certificate and key; the certificate must parse and cover every host in {@code hosts} (the per-pod
     * names peers verify). Returns the certificate when it is usable.
     */
    public Optional<ServingCertificate> tls(String field, String name, Map<String, String> data, List<String> hosts) {
        String crt = require(field, name, data, "tls.crt");
        String key = require(field, name, data, "tls.key");
        if (crt == null || key == null) {
            return Optional.empty();
        }
        Optional<ServingCertificate> cert = ServingCertificate.parse(crt);
        if (cert.isEmpty()) {
            problems.add(new InputProblem("InvalidCertificate", field, "key \"tls.crt\" of Secret \"" + name
                    + "\" holds no PEM certificate"));
            return Optional.empty();
        }
        if (!key.contains("PRIVATE KEY-----")) {
            problems.add(new InputProblem("InvalidCertificate", field, "key \"tls.key\" of Secret \"" + name
                    + "\" holds no PEM private key"));
            return Optional.empty();
        }
        List<String> missing = hosts.stream().filter(h -> !cert.get().covers(h)).toList();
        if (!missing.isEmpty()) {
            problems.add(new InputProblem("CertificateNameMismatch", field, "the certificate in Secret \"" + name
                    + "\" does not cover " + String.join(", ", missing) + " (it names " + cert.get().dnsNames()
                    + "); pods reach each other by these names and verify them: add them or *." + missing.get(0)
                            .substring(missing.get(0).indexOf('.') + 1) + " to its DNS names"));
            return Optional.empty();
        }
        return cert;
    }

    /** A certificate peers would reject before any pod runs into it: expired, or not issued by the CA they trust. */
    public void trusted(String field, String name, ServingCertificate cert, String caName,
            List<X509Certificate> caBundle, Instant now) {
        if (cert.notAfter().isBefore(now)) {
            problems.add(new InputProblem("CertificateExpired", field, "the certificate in Secret \"" + name + "\" expired at "
                    + cert.notAfter()));
        } else if (!cert.trustedBy(caBundle)) {
            problems.add(new InputProblem("CertificateNotTrusted", field, "the certificate in Secret \"" + name + "\" is not issued "
                    + "by the CA in ca.crt of Secret \"" + caName + "\"; pods verify each other with that CA, so imports between "
                    + "pods would fail"));
        }
    }

    /** The CA bundle pods verify each other with, parsed. */
    public Optional<List<X509Certificate>> caBundle(String field, String name, Map<String, String> data) {
        String ca = data.get("ca.crt");
        if (ca == null || ca.isBlank()) {
            problems.add(new InputProblem("SecretKeyMissing", field, "Secret \"" + name + "\" has no key \"ca.crt\": pods need the CA "
                    + "to verify each other; add it, or name a Secret holding it in spec.tls.caSecretName"));
            return Optional.empty();
        }
        List<X509Certificate> certificates = ServingCertificate.certificates(ca);
        if (certificates.isEmpty()) {
            problems.add(new InputProblem("InvalidCertificate", field, "key \"ca.crt\" of Secret \"" + name
                    + "\" holds no PEM certificate"));
            return Optional.empty();
        }
        return Optional.of(certificates);
    }

    private String require(String field, String name, Map<String, String> data, String key) {
        String v = data.get(key);
        if (v == null || v.isBlank()) {
            problems.add(new InputProblem("SecretKeyMissing", field, "Secret \"" + name + "\" has no key \"" + key + "\""));
            return null;
        }
        if (!MULTI_LINE_KEYS.contains(key) && v.chars().anyMatch(c -> c == '\n' || c == '\r' || c == 0)) {
            problems.add(new InputProblem("InvalidSecretValue", field, "key \"" + key + "\" of Secret \"" + name
                    + "\" contains a line break"));
            return null;
        }
        return v.strip();
    }

    private Integer port(String field, String name, String value) {
        try {
            int p = Integer.parseInt(value.strip());
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(new InputProblem("InvalidSecretValue", field, "key \"port\" of Secret \"" + name
                + "\" is not a port number (1-65535)"));
        return null;
    }
}
