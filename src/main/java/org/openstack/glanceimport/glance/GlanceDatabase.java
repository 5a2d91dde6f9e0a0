package org.openstack.glanceimport.glance;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;

import org.openstack.glanceimport.config.ServiceCredentials;

/**
 * Connections to Glance's own database, with the GlanceAPI's credentials. Short timeouts: an unreachable database must
 * not hold a reconcile or a scan for long.
 */
@ApplicationScoped
public class GlanceDatabase {

    public Connection connect(ServiceCredentials.Database db) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", db.username());
        props.setProperty("password", db.password());
        props.setProperty("connectTimeout", "5000");
        props.setProperty("socketTimeout", "10000");
        String host = db.host().contains(":") ? "[" + db.host() + "]" : db.host();
        return DriverManager.getConnection("jdbc:mariadb://" + host + ":" + db.port() + "/" + db.name(), props);
    }

    /** MariaDB/MySQL answer 1045 (SQLSTATE 28000) to a wrong user or password, 1044 to a user without the database. */
    public static boolean credentialsRejected(SQLException e) {
        return e.getErrorCode() == 1045 || e.getErrorCode() == 1044 || (e.getSQLState() != null && e.getSQLState().startsWith("28"));
    }
}
