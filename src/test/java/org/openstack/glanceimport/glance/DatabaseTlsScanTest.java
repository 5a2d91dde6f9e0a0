package org.openstack.glanceimport.glance;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.config.ServiceCredentials;

/**
 * How a scan that the database refused is told apart: MariaDB answers 1045 both to a wrong password and, under
 * require_secure_transport, to a connection in clear (measured on 10.11); a second try over TLS tells which.
 */
class DatabaseTlsScanTest {

    private static final ServiceCredentials.Database CLEAR = new ServiceCredentials.Database("galera.os.svc", 3306, "glance", "glance", "pw");
    private static final SQLException DENIED = new SQLInvalidAuthorizationSpecException(
            "(conn=6) Access denied for user 'glance'@'localhost' (using password: YES)", "28000", 1045);

    private static final class Refusing extends GlanceDatabase {
        private final SQLException answer;
        private final boolean overTls;

        Refusing(SQLException answer, boolean overTls) {
            this.answer = answer;
            this.overTls = overTls;
        }

        @Override
        public Connection connect(ServiceCredentials.Database db) throws SQLException {
            throw answer;
        }

        @Override
        public boolean acceptsOverTls(ServiceCredentials.Database db) {
            return overTls;
        }
    }

    private static StagedImageScans.Scan scan(GlanceDatabase database, ServiceCredentials.Database db) {
        StagedImageScans scans = new StagedImageScans(new StagedImages(database), null, Duration.ofMinutes(5), Duration.ofMinutes(1),
                Duration.ofSeconds(10));
        GlanceAPI api = new GlanceAPI();
        api.setMetadata(new ObjectMetaBuilder().withName("glance").withNamespace("os").build());
        api.setSpec(new GlanceAPISpec());
        scans.use(api, db);
        return scans.fetchResources(api).iterator().next();
    }

    @Test
    void refusedInClearButTakenOverTlsMeansTheDatabaseRequiresTls() {
        StagedImageScans.Scan s = scan(new Refusing(DENIED, true), CLEAR);
        assertEquals(StagedImageScans.Failure.TLS_REQUIRED, s.failure());
        assertEquals("galera.os.svc:3306", s.detail());
    }

    @Test
    void refusedEitherWayIsTheCredentials() {
        assertEquals(StagedImageScans.Failure.CREDENTIALS_REJECTED, scan(new Refusing(DENIED, false), CLEAR).failure());
    }

    @Test
    void withTlsAnUnverifiedCertificateIsATlsFailureNamingTheDatabase() {
        SQLException untrusted = new SQLNonTransientConnectionException("(conn=5) Self signed certificates. Either set sslMode=trust, "
                + "use password with a MitM-Proof authentication plugin or provide server certificate to client", "08000");
        StagedImageScans.Scan s = scan(new Refusing(untrusted, true), CLEAR.withCa("pem"));
        assertEquals(StagedImageScans.Failure.TLS_FAILED, s.failure());
        assertEquals("galera.os.svc:3306 presented a certificate its CA does not verify, or one that does not name galera.os.svc",
                s.detail());
    }
}
