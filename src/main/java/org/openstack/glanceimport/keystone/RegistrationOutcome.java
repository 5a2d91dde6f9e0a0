package org.openstack.glanceimport.keystone;

import java.time.Duration;
import java.util.Optional;

import org.openstack.glanceimport.api.keystone.KeystoneRegistrationStatus;

/**
 * What the registration step found or did this reconcile, for the status writer: status.keystoneRegistration (null when
 * nothing is registered), the KeystoneRegistered condition (null: no condition, registration off), and when to look
 * again.
 */
public record RegistrationOutcome(KeystoneRegistrationStatus status, State condition, Optional<Duration> recheck) {

    /** The KeystoneRegistered condition: status True, False or Unknown; a warning is announced as a Warning Event. */
    public record State(String status, String reason, String message, boolean warning) {
    }

    public static final RegistrationOutcome NONE = new RegistrationOutcome(null, null, Optional.empty());

    public RegistrationOutcome recheckAfter(Duration wait) {
        return new RegistrationOutcome(status, condition, Optional.of(wait));
    }

    public boolean registered() {
        return status != null;
    }
}
