package org.openstack.glanceimport.stores;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.config.ServiceCredentials;
import org.openstack.glanceimport.glance.GlanceDatabase;
import org.openstack.glanceimport.validation.InputProblem;

/**
 * What the check makes of MariaDB Connector/J 3.5's answers, in the words measured against MariaDB 10.11 (a CA that did
 * not issue the server's certificate; a server without TLS; 1045 for refused credentials), and when it asks again.
 * The real handshakes run in make e2e (E2eDatabaseTls).
 */
class DatabaseTlsCheckTest {

    private static final ServiceCredentials.Database DB = new ServiceCredentials.Database("galera.openstack.svc", 3306, "glance",
            "glance", "hunter2-db", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");

    /** A database that answers every connect with {@code answer} (null: connects), counting the attempts. */
    private static final class Answering extends GlanceDatabase {
        final AtomicInteger connects = new AtomicInteger();
        SQLException answer;

        Answering(SQLException answer) {
            this.answer = answer;
        }

        @Override
        public Connection connect(ServiceCredentials.Database db) throws SQLException {
            connects.incrementAndGet();
            if (answer != null) {
                throw answer;
            }
            return null; // try-with-resources closes nothing for a null
        }
    }

    private static final SQLException UNTRUSTED = new SQLNonTransientConnectionException("(conn=5) Self signed certificates. "
            + "Either set sslMode=trust, use password with a MitM-Proof authentication plugin or provide server certificate to client",
            "08000");
    private static final SQLException NO_TLS = new SQLNonTransientConnectionException(
            "(conn=4) Trying to connect with ssl, but ssl not enabled in the server", "08000");

    @Test
    void anUnverifiedCertificateNamesTheDatabaseAndTheSecretWithoutDriverAdviceOrCredentials() {
        List<InputProblem> problems = new DatabaseTlsCheck(new Answering(UNTRUSTED)).check(DB, "galera-ca");
        assertEquals(1, problems.size());
        assertEquals("DatabaseCertificateNotTrusted", problems.get(0).reason());
        assertEquals("spec.databaseTLS.caSecretName: the database galera.openstack.svc:3306 presented a certificate that the CA in key "
                + "ca.crt of Secret \"galera-ca\" does not verify, or that does not name galera.openstack.svc", problems.get(0).describe());
        assertFalse(problems.get(0).message().contains("hunter2"));
    }

    @Test
    void aServerWithoutTlsIsNamed() {
        InputProblem p = new DatabaseTlsCheck(new Answering(NO_TLS)).check(DB, "galera-ca").get(0);
        assertEquals("DatabaseTLSUnavailable", p.reason());
        assertTrue(p.message().startsWith("the database galera.openstack.svc:3306 does not offer TLS"), p.message());
    }

    @Test
    void aHandshakeFailureOfTheJdkCounts() {
        SQLException e = new SQLNonTransientConnectionException("(conn=9) Could not connect", "08000",
                new javax.net.ssl.SSLHandshakeException("PKIX path building failed"));
        InputProblem p = new DatabaseTlsCheck(new Answering(e)).check(DB, "galera-ca").get(0);
        assertEquals("DatabaseCertificateNotTrusted", p.reason());
        assertTrue(p.message().endsWith("(Could not connect)"), p.message());
    }

    @Test
    void refusedCredentialsAndAnUnreachableDatabaseAreNotThisChecksToReport() {
        assertEquals(List.of(), new DatabaseTlsCheck(new Answering(new SQLInvalidAuthorizationSpecException(
                "(conn=6) Access denied for user 'glance'@'localhost' (using password: YES)", "28000", 1045))).check(DB, "ca"));
        assertEquals(List.of(), new DatabaseTlsCheck(new Answering(new SQLNonTransientConnectionException(
                "Socket fail to connect to host:address=(host=galera)(port=3306)", "08000"))).check(DB, "ca"));
    }

    @Test
    void withoutTlsNothingIsAsked() {
        Answering db = new Answering(NO_TLS);
        assertEquals(List.of(), new DatabaseTlsCheck(db).check(DB.withCa(null), "ca"));
        assertEquals(0, db.connects.get());
    }

    @Test
    void aSuccessStandsUntilTheCaChangesAndAFailureIsAskedAgainAfterThirtySeconds() {
        StoreSpecs.MutableClock clock = new StoreSpecs.MutableClock(StoreSpecs.T0);
        Answering db = new Answering(null);
        DatabaseTlsCheck check = new DatabaseTlsCheck(db, clock);
        check.check(DB, "ca");
        clock.advance(Duration.ofHours(1));
        check.check(DB, "ca");
        assertEquals(1, db.connects.get(), "steady state sends nothing");

        db.answer = UNTRUSTED;
        ServiceCredentials.Database rotated = DB.withCa(DB.caPem() + "\n");
        assertEquals(1, check.check(rotated, "ca").size());
        clock.advance(Duration.ofSeconds(29));
        assertEquals(1, check.check(rotated, "ca").size());
        assertEquals(2, db.connects.get());
        clock.advance(Duration.ofSeconds(1));
        db.answer = null;
        assertEquals(List.of(), check.check(rotated, "ca"), "the fixed server is found at the recheck");
        assertEquals(3, db.connects.get());
    }
}
