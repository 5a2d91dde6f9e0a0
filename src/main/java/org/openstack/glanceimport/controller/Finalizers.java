package org.openstack.glanceimport.controller;

import java.util.List;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import org.openstack.glanceimport.api.GlanceAPI;

/**
 * Adds and removes one finalizer of a GlanceAPI with a JSON patch that touches nothing else (no spec in the body, no
 * other finalizer): a test of what is there, then the change. A list that moved under us (422, 409) is looked at again
 * by the next reconcile, which the change itself triggers.
 */
final class Finalizers {

    private Finalizers() {
    }

    static void add(GlanceAPI api, String name, KubernetesClient client) {
        List<String> finalizers = api.getMetadata().getFinalizers();
        if (finalizers != null && finalizers.contains(name)) {
            return;
        }
        String patch = finalizers == null || finalizers.isEmpty()
                ? "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"" + api.getMetadata().getResourceVersion()
                        + "\"},{\"op\":\"add\",\"path\":\"/metadata/finalizers\",\"value\":[\"" + name + "\"]}]"
                : "[{\"op\":\"add\",\"path\":\"/metadata/finalizers/-\",\"value\":\"" + name + "\"}]";
        patch(api, patch, client);
        // the copy in hand says so too, so this reconcile does not add it twice
        api.addFinalizer(name);
    }

    static void remove(GlanceAPI api, String name, KubernetesClient client) {
        List<String> finalizers = api.getMetadata().getFinalizers();
        int at = finalizers == null ? -1 : finalizers.indexOf(name);
        if (at < 0) {
            return;
        }
        String path = "/metadata/finalizers/" + at;
        patch(api, "[{\"op\":\"test\",\"path\":\"" + path + "\",\"value\":\"" + name + "\"},{\"op\":\"remove\",\"path\":\"" + path + "\"}]",
                client);
        api.removeFinalizer(name);
    }

    private static void patch(GlanceAPI api, String patch, KubernetesClient client) {
        try {
            client.resources(GlanceAPI.class).inNamespace(api.getMetadata().getNamespace()).withName(api.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON), patch);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 422 && e.getCode() != 409 && e.getCode() != 404) {
                throw e;
            }
        }
    }
}
