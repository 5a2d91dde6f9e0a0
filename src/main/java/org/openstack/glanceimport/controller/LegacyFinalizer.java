package org.openstack.glanceimport.controller;

import io.fabric8.kubernetes.client.KubernetesClient;

import org.openstack.glanceimport.api.GlanceAPI;

/**
 * Operator 0.1.0 put a finalizer on every GlanceAPI (JOSDK adds one when a dependent is deleted on cleanup, and its
 * cleanup then deleted the claims retention.whenDeleted: Retain should keep). GlanceAPIs need none for that now: what
 * they own goes by owner references. A finalizer nobody removes would block the deletion forever, so the first reconcile
 * takes it off.
 */
final class LegacyFinalizer {

    static final String NAME = "glanceapis.import.glance.openstack.org/finalizer";

    private LegacyFinalizer() {
    }

    static void remove(GlanceAPI api, KubernetesClient client) {
        Finalizers.remove(api, NAME, client);
    }
}
