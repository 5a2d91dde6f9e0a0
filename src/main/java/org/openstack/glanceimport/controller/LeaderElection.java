package org.openstack.glanceimport.controller;

import jakarta.inject.Singleton;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;

/**
 * Lets several operator pods run for availability while only the holder of the Lease reconciles. The Lease lives in the
 * operator's own namespace (read from its service account); active in the prod profile only, so tests and the demo
 * run alone.
 */
@Singleton
public class LeaderElection extends LeaderElectionConfiguration {

    public static final String LEASE = "glance-import-operator-lease";

    public LeaderElection() {
        super(LEASE);
    }
}
