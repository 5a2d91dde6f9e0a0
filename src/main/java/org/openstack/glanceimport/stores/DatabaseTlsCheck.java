package org.openstack.glanceimport.stores;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.openstack.glanceimport.config.ConfigHash;
import org.openstack.glanceimport.config.ServiceCredentials;
import org.openstack.glanceimport.glance.GlanceDatabase;
import org.openstack.glanceimport.inputs.DatabaseProbe;
import org.openstack.glanceimport.validation.InputProblem;

/**
 * Connects once to Glance's database over TLS, as Glance will, before the pods and the db-sync Job are given the
 * configuration: a CA that does not verify the server's certificate, or a server without TLS, becomes an input problem
 * naming the database and spec.databaseTLS, and the running pods keep their configuration, instead of a db-sync Job and
 * pods failing on it. Only the TLS outcome counts: an unreachable database or refused credentials are not this check's
 * to report (db-sync and the scans do), so they pass. Cached like the object store checks: a success until the
 * database, credentials or CA change, a failure for {@link CheckCache#FAILURE_RECHECK}.
 */
@ApplicationScoped
public class DatabaseTlsCheck implements DatabaseProbe {

    static final String NOT_TRUSTED = "DatabaseCertificateNotTrusted";
    static final String NO_TLS = "DatabaseTLSUnavailable";

    private final GlanceDatabase database;
    private final Clock clock;
    private final CheckCache cache = new CheckCache();

    @Inject
    public DatabaseTlsCheck(GlanceDatabase database) {
        this(database, Clock.systemUTC());
    }

    DatabaseTlsCheck(GlanceDatabase database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public Duration failureRecheck() {
        return CheckCache.FAILURE_RECHECK;
    }

    @Override
    public List<InputProblem> check(ServiceCredentials.Database db, String caSecretName) {
        if (!db.tls()) {
            return List.of();
        }
        // the credentials only as a digest, as for the stores: no value kept in the clear
        String key = new ConfigHash().add("database", Map.of("host", db.host(), "port", Integer.toString(db.port()),
                "name", db.name(), "user", db.username(), "password", db.password(), "ca", db.caPem())).value();
        return cache.get(key, clock.instant()).orElseGet(() -> {
            List<InputProblem> found = ask(db, caSecretName);
            cache.put(key, found, clock.instant());
            return found;
        });
    }

    private List<InputProblem> ask(ServiceCredentials.Database db, String caSecretName) {
        try (Connection c = database.connect(db)) {
            return List.of();
        } catch (SQLException e) {
            return problem(e, db, caSecretName);
        }
    }

    static List<InputProblem> problem(SQLException e, ServiceCredentials.Database db, String caSecretName) {
        String field = "spec.databaseTLS.caSecretName";
        if (GlanceDatabase.tlsUnavailable(e)) {
            return List.of(new InputProblem(NO_TLS, field, "the database " + db.address() + " does not offer TLS; Glance "
                    + "would refuse to connect to it with spec.databaseTLS. Enable TLS on the server, or remove spec.databaseTLS"));
        }
        if (GlanceDatabase.certificateRejected(e)) {
            return List.of(new InputProblem(NOT_TRUSTED, field, "the database " + db.address() + " presented a certificate "
                    + "that the CA in key ca.crt of Secret \"" + caSecretName + "\" does not verify, or that does not name "
                    + db.host() + detail(e)));
        }
        return List.of();
    }

    /**
     * The driver's words, without its connection number (a message that changed at every recheck would rewrite the
     * status each time) and without its advice for an unverifiable certificate (sslMode=trust), which is no fix here.
     */
    private static String detail(SQLException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().replaceFirst("^\\(conn=\\d+\\)\\s*", "");
        return m.isBlank() || m.startsWith("Self signed") ? "" : " (" + m + ")";
    }
}
