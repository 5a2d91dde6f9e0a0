package org.openstack.glanceimport.config;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Renders 30-secrets.conf, the only file holding credentials; it lives in a Secret, never a ConfigMap. */
public final class SecretConfigRenderer {

    private SecretConfigRenderer() {
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
        return "mysql+pymysql://" + encode(db.username()) + ":" + encode(db.password()) + "@" + hostPart(db.host()) + ":" + db.port()
                + "/" + encode(db.name()) + "?charset=utf8";
    }

    private static String hostPart(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** Percent-encoding for URL userinfo and path: form encoding writes spaces as '+', which a URL reads literally. */
    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
