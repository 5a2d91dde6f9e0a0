package org.openstack.glanceimport.glance;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;

import org.openstack.glanceimport.config.ServiceCredentials;

/**
 * Connections to Glance's own database, with the GlanceAPI's credentials. Short timeouts: an unreachable database must
 * not hold a reconcile or a scan for long. With spec.databaseTLS, TLS as Glance's PyMySQL does it: required, the
 * certificate verified against the CA and checked to name the host.
 */
@ApplicationScoped
public class GlanceDatabase {

    public Connection connect(ServiceCredentials.Database db) throws SQLException {
        Properties props = properties(db);
        if (db.tls()) {
            props.setProperty("sslMode", "verify-full");
            // MariaDB Connector/J takes the PEM itself: no file, no trust store
            props.setProperty("serverSslCert", db.caPem());
        }
        return DriverManager.getConnection(url(db), props);
    }

    /**
     * Whether the database takes these credentials over TLS left unverified. Only asked after it refused them in clear:
     * MariaDB answers 1045 to both a wrong password and, under require_secure_transport, to a connection in clear.
     */
    public boolean acceptsOverTls(ServiceCredentials.Database db) {
        Properties props = properties(db);
        props.setProperty("sslMode", "trust");
        try (Connection c = DriverManager.getConnection(url(db), props)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static Properties properties(ServiceCredentials.Database db) {
        Properties props = new Properties();
        props.setProperty("user", db.username());
        props.setProperty("password", db.password());
        props.setProperty("connectTimeout", "5000");
        props.setProperty("socketTimeout", "10000");
        return props;
    }

    private static String url(ServiceCredentials.Database db) {
        return "jdbc:mariadb://" + db.address() + "/" + db.name();
    }

    /** MariaDB/MySQL answer 1045 (SQLSTATE 28000) to a wrong user or password, 1044 to a user without the database. */
    public static boolean credentialsRejected(SQLException e) {
        return e.getErrorCode() == 1045 || e.getErrorCode() == 1044 || (e.getSQLState() != null && e.getSQLState().startsWith("28"));
    }

    /** Connector/J's answer when the server offers no TLS and TLS was asked for. */
    public static boolean tlsUnavailable(SQLException e) {
        return e.getMessage() != null && e.getMessage().contains("ssl not enabled in the server");
    }

    /**
     * The handshake failed on the certificate: not issued by the CA, or not naming the host. Connector/J 3.5 words an
     * unverifiable certificate as "Self signed certificates. Either set sslMode=trust, ..."; other failures carry the
     * JDK's SSLHandshakeException or CertificateException.
     */
    public static boolean certificateRejected(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException
                    || m.contains("certificate") || m.contains("Self signed")) {
                return true;
            }
        }
        return false;
    }
}
