package org.openstack.glanceimport.config;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.stores.Store;

/**
 * The files of the operator's Secret that the stores need besides 30-secrets.conf: the rendered ceph.conf of each Ceph
 * Secret when there are several, the swift stores' reference file, the CAs of the s3 and swift endpoints. They land in
 * the pods' configuration directory, where glance finds them by path; none is a glance --config-file
 * ({@link GlancePaths#isGlanceConfig}).
 */
public final class StoreSecretFiles {

    private StoreSecretFiles() {
    }

    public static Map<String, String> render(GlanceAPISpec spec, StoreCredentials creds) {
        Map<String, String> files = new TreeMap<>(CephLayout.renderedConfs(spec, creds.cephConfs()));
        if (!spec.swiftStores().isEmpty()) {
            files.put(GlancePaths.SWIFT_REFERENCES, swiftReferences(spec, creds));
        }
        Set<String> s3Cas = new LinkedHashSet<>();
        for (Store store : spec.s3Stores()) {
            String ca = creds.s3().get(store.name).ca();
            if (ca != null) {
                files.put(GlancePaths.storeCaFile(store), ca);
                s3Cas.add(ca.strip() + "\n");
            }
        }
        for (Store store : spec.swiftStores()) {
            String ca = creds.swift().get(store.name).ca();
            if (ca != null) {
                files.put(GlancePaths.storeCaFile(store), ca);
            }
        }
        if (!s3Cas.isEmpty()) {
            // boto3 of every glance_store reads one bundle from AWS_CA_BUNDLE, for all s3 stores alike
            files.put(GlancePaths.S3_CA_BUNDLE, String.join("", s3Cas));
        }
        return files;
    }

    /**
     * glance_store's swift_store_config_file, one section per swift store named after it (its default_swift_reference).
     * Keystone v2 and v3 references take the project as "project:user", v1 the account:user as it is.
     */
    static String swiftReferences(GlanceAPISpec spec, StoreCredentials creds) {
        StringBuilder out = new StringBuilder();
        for (Store store : spec.swiftStores()) {
            StoreCredentials.Swift swift = creds.swift().get(store.name);
            boolean keystone = swift.projectName() != null;
            out.append(out.length() > 0 ? "\n" : "").append('[').append(store.name).append("]\n");
            line(out, "auth_address", store.swift.authAddress);
            line(out, "auth_version", store.swift.authVersion);
            line(out, "user", keystone ? swift.projectName() + ":" + swift.user() : swift.user());
            line(out, "key", swift.key());
            if (keystone) {
                line(out, "user_domain_name", swift.userDomainName());
                line(out, "project_domain_name", swift.projectDomainName());
            }
        }
        return out.toString();
    }

    /**
     * Python's ConfigParser, not oslo.config, reads this file: '%' starts an interpolation and must be doubled, and
     * glance_store strips one pair of quotes around a value, so a value that starts with a quote is quoted once more.
     */
    private static void line(StringBuilder out, String key, String value) {
        Ini.requireSingleLine(value, "value of " + key);
        String escaped = value.replace("%", "%%");
        if (escaped.startsWith("\"") || escaped.startsWith("'")) {
            escaped = "\"" + escaped + "\"";
        }
        out.append(key).append(" = ").append(escaped).append('\n');
    }
}
