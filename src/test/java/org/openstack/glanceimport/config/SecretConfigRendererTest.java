package org.openstack.glanceimport.config;

import java.util.Map;

import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretConfigRendererTest {

    private static final ServiceCredentials.Keystone KS = new ServiceCredentials.Keystone("https://ks:5000/v3", "glance", "pw",
            "service", "Default", "Default", null);

    @Test
    void passwordsWithUrlSpecialCharactersAreEncoded() {
        var db = new ServiceCredentials.Database("db.example", 3306, "glance", "gl@nce", "p@ss:w/rd ?#%");
        assertEquals("mysql+pymysql://gl%40nce:p%40ss%3Aw%2Frd%20%3F%23%25@db.example:3306/glance?charset=utf8",
                SecretConfigRenderer.connectionUrl(db));
    }

    /** PyMySQL's TLS option, pointing to the CA file of the operator's Secret; without a CA the URL is as before. */
    @Test
    void withADatabaseCaTheUrlCarriesSslCaAndTheSecretTheFile() {
        var db = new ServiceCredentials.Database("galera.os.svc", 3306, "glance", "u", "p").withCa("PEM");
        assertEquals("mysql+pymysql://u:p@galera.os.svc:3306/glance?charset=utf8&ssl_ca=/etc/glance/glance.conf.d/database-ca.crt",
                SecretConfigRenderer.connectionUrl(db));
        assertEquals(java.util.Map.of("database-ca.crt", "PEM"), SecretConfigRenderer.databaseFiles(db));
        assertEquals(java.util.Map.of(), SecretConfigRenderer.databaseFiles(db.withCa(null)));
        assertEquals("Database[u@galera.os.svc:3306/glance, tls]", db.toString(), "no password, no PEM in logs");
    }

    @Test
    void ipv6HostsAreBracketed() {
        var db = new ServiceCredentials.Database("fd00::5", 3307, "glance", "u", "p");
        assertEquals("mysql+pymysql://u:p@[fd00::5]:3307/glance?charset=utf8", SecretConfigRenderer.connectionUrl(db));
    }

    @Test
    void rendersAuthtokenCredentials() {
        String out = SecretConfigRenderer.render(new ServiceCredentials(
                new ServiceCredentials.Database("h", 3306, "glance", "u", "p$1"), KS)).render();
        assertTrue(out.contains("[keystone_authtoken]\nwww_authenticate_uri = https://ks:5000/v3\nauth_url = https://ks:5000/v3\n"), out);
        assertTrue(out.contains("password = pw\n"), out);
        assertTrue(out.contains("connection = mysql+pymysql://u:p%241@h:3306/glance?charset=utf8"), out);
    }

    @Test
    void storeCredentialsPrintNoValue() {
        var stores = new StoreCredentials(Map.of("ceph", "[global]\nmon_host = 1.2.3.4\n"), Map.of("s3", new StoreCredentials.S3("AK", "SK-MARKER", "PEM")),
                Map.of("sw", new StoreCredentials.Swift("u", "KEY-MARKER", "p", "Default", "Default", null)));
        assertFalse(stores.toString().contains("MARKER") || stores.toString().contains("AK") || stores.toString().contains("PEM"), stores.toString());
    }
}
