package org.openstack.glanceimport.support.glance;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import org.openstack.glanceimport.config.ServiceCredentials;
import org.openstack.glanceimport.glance.GlanceDatabase;

/**
 * In tests, a database Secret whose host ends in {@value #HOST_SUFFIX} names an in-memory H2 database (MariaDB mode) that
 * holds Glance's two tables the operator reads ({@link GlanceTables}); H2 checks the user and password as MariaDB would
 * (SQLSTATE 28000). Every other host goes to MariaDB exactly as in production: the samples' host does not resolve here,
 * which is how tests see an unreachable database, and make e2e reaches a real one.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class H2GlanceDatabase extends GlanceDatabase {

    public static final String HOST_SUFFIX = ".h2.test";

    @Override
    public Connection connect(ServiceCredentials.Database db) throws SQLException {
        if (!db.host().endsWith(HOST_SUFFIX)) {
            return super.connect(db);
        }
        Properties props = new Properties();
        props.setProperty("user", db.username());
        props.setProperty("password", db.password());
        // IFEXISTS: a database no test created is missing, not silently made empty
        return new org.h2.Driver().connect(GlanceTables.url(db.name()) + ";IFEXISTS=TRUE", props);
    }

    /** H2 has no TLS: a refused login is the credentials. */
    @Override
    public boolean acceptsOverTls(ServiceCredentials.Database db) {
        return !db.host().endsWith(HOST_SUFFIX) && super.acceptsOverTls(db);
    }
}
