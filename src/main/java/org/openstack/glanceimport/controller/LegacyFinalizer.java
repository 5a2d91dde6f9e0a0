package org.openstack.glanceimport.controller;

import java.util.List;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import org.openstack.glanceimport.api.GlanceAPI;

/**
 * Operator 0.1.0 put a finalizer on every GlanceAPI (JOSDK adds one when a dependent is deleted on cleanup, and its
 * cleanup then deleted the claims retention.whenDeleted: Retain should keep). GlanceAPIs need none now: what they own
 * goes by owner references. A finalizer nobody removes would block the deletion forever, so the first reconcile takes
 * it off, with a JSON patch that touches nothing else (test, then remove by index).
 */
final class LegacyFinalizer {

    static final String NAME = "glanceapis.import.glance.openstack.org/finalizer";

    private LegacyFinalizer() {
    }

    static void remove(GlanceAPI api, KubernetesClient client) {
        List<String> finalizers = api.getMetadata().getFinalizers();
        int at = finalizers == null ? -1 : finalizers.indexOf(NAME);
        if (at < 0) {
            return;
        }
        String path = "/metadata/finalizers/" + at;
        try {
            client.resources(GlanceAPI.class).inNamespace(api.getMetadata().getNamespace()).withName(api.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"test\",\"path\":\"" + path + "\",\"value\":\"" + NAME
                            + "\"},{\"op\":\"remove\",\"path\":\"" + path + "\"}]");
        } catch (KubernetesClientException e) {
            // the list moved under us (422 on the test op): the next reconcile looks again
            if (e.getCode() != 422 && e.getCode() != 409) {
                throw e;
            }
        }
    }
}
