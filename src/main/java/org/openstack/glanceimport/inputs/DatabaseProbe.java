package org.openstack.glanceimport.inputs;

import java.time.Duration;
import java.util.List;

import org.openstack.glanceimport.config.ServiceCredentials;
import org.openstack.glanceimport.validation.InputProblem;

/** Asks Glance's database whether TLS to it works as spec.databaseTLS says, once the inputs are valid (DatabaseTlsCheck). */
public interface DatabaseProbe {

    /** Problems name spec.databaseTLS; none when the database answers over verified TLS, or when no TLS is asked for. */
    List<InputProblem> check(ServiceCredentials.Database db, String caSecretName);

    /** How soon a failed check is asked again: nothing announces that the database was fixed. */
    Duration failureRecheck();

    /** No database is asked (tools that render without a cluster). */
    DatabaseProbe NONE = new DatabaseProbe() {
        @Override
        public List<InputProblem> check(ServiceCredentials.Database db, String caSecretName) {
            return List.of();
        }

        @Override
        public Duration failureRecheck() {
            return Duration.ZERO;
        }
    };
}
