package org.openstack.glanceimport.config;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.stores.Store;

/** Renders 30-secrets.conf, the only glance config file holding credentials; it lives in a Secret, never a ConfigMap. */
public final class SecretConfigRenderer {

    private SecretConfigRenderer() {
    }

    /**
     * With the stores' credentials and the paths of their CAs, in each store's section. The CA paths are here, not in
     * 00-glance-api.conf, because whether there is a CA is read from the store's Secret.
     */
    public static Ini render(ServiceCredentials creds, GlanceAPISpec spec, StoreCredentials stores) {
        Ini ini = render(creds);
        for (Store store : spec.s3Stores()) {
            StoreCredentials.S3 s3 = stores.s3().get(store.name);
            ini.set(store.name, "s3_store_access_key", s3.accessKey()).set(store.name, "s3_store_secret_key", s3.secretKey());
            if (s3.ca() != null) {
                // glance_store 4.1 ignores it and verifies against AWS_CA_BUNDLE (the pod's env); later ones use it per store
                ini.set(store.name, "s3_store_cacert", GlancePaths.configFile(GlancePaths.storeCaFile(store)));
            }
        }
        for (Store store : spec.swiftStores()) {
            if (stores.swift().get(store.name).ca() != null) {
                ini.set(store.name, "swift_store_cacert", GlancePaths.configFile(GlancePaths.storeCaFile(store)));
            }
        }
        return ini;
    }

    public static Ini render(ServiceCredentials creds) {
        ServiceCredentials.Database db = creds.database();
        ServiceCredentials.Keystone ks = creds.keystone();
        Ini ini = new Ini()
                .set("database", "connection", connectionUrl(db))
                .set("keystone_authtoken", "www_authenticate_uri", ks.authUrl())
                .set("keystone_authtoken", "auth_url", ks.authUrl())
                .set("keystone_authtoken", "username", ks.username())
                .set("keystone_authtoken", "password", ks.password())
                .set("keystone_authtoken", "project_name", ks.projectName())
                .set("keystone_authtoken", "user_domain_name", ks.userDomainName())
                .set("keystone_authtoken", "project_domain_name", ks.projectDomainName());
        if (ks.regionName() != null) {
            ini.set("keystone_authtoken", "region_name", ks.regionName());
        }
        return ini;
    }

    public static String connectionUrl(ServiceCredentials.Database db) {
        return "mysql+pymysql://" + encode(db.username()) + ":" + encode(db.password()) + "@" + db.address()
                + "/" + encode(db.name()) + "?charset=utf8" + (db.tls() ? "&ssl_ca=" + GlancePaths.configFile(GlancePaths.DATABASE_CA) : "");
    }

    /**
     * The files of the operator's Secret the connection URL points to. SQLAlchemy hands ssl_ca to PyMySQL, which then
     * requires TLS, verifies the certificate against it and checks that it names the host.
     */
    public static Map<String, String> databaseFiles(ServiceCredentials.Database db) {
        return db.tls() ? Map.of(GlancePaths.DATABASE_CA, db.caPem()) : Map.of();
    }

    /** Percent-encoding for URL userinfo and path: form encoding writes spaces as '+', which a URL reads literally. */
    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
