package org.openstack.glanceimport.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    /**
     * The finalizer and a label "true" in one patch: the label is what a label-selected controller watches by, the
     * finalizer what makes it hear of the deletion.
     */
    static void addWithLabel(GlanceAPI api, String finalizer, String label, KubernetesClient client) {
        List<String> finalizers = api.getMetadata().getFinalizers();
        Map<String, String> labels = api.getMetadata().getLabels();
        boolean hasFinalizer = finalizers != null && finalizers.contains(finalizer);
        boolean hasLabel = labels != null && "true".equals(labels.get(label));
        if (hasFinalizer && hasLabel) {
            return;
        }
        List<String> ops = new ArrayList<>();
        ops.add("{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"" + api.getMetadata().getResourceVersion() + "\"}");
        if (!hasLabel) {
            ops.add(labels == null || labels.isEmpty()
                    ? "{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"" + label + "\":\"true\"}}"
                    : "{\"op\":\"add\",\"path\":\"/metadata/labels/" + pointer(label) + "\",\"value\":\"true\"}");
        }
        if (!hasFinalizer) {
            ops.add(finalizers == null || finalizers.isEmpty()
                    ? "{\"op\":\"add\",\"path\":\"/metadata/finalizers\",\"value\":[\"" + finalizer + "\"]}"
                    : "{\"op\":\"add\",\"path\":\"/metadata/finalizers/-\",\"value\":\"" + finalizer + "\"}");
        }
        patch(api, "[" + String.join(",", ops) + "]", client);
        api.addFinalizer(finalizer);
        if (api.getMetadata().getLabels() == null) {
            api.getMetadata().setLabels(new java.util.HashMap<>());
        }
        api.getMetadata().getLabels().put(label, "true");
    }

    /** Both gone, in one patch; nothing sent when neither is there. */
    static void removeWithLabel(GlanceAPI api, String finalizer, String label, KubernetesClient client) {
        List<String> finalizers = api.getMetadata().getFinalizers();
        Map<String, String> labels = api.getMetadata().getLabels();
        int at = finalizers == null ? -1 : finalizers.indexOf(finalizer);
        boolean hasLabel = labels != null && labels.containsKey(label);
        if (at < 0 && !hasLabel) {
            return;
        }
        List<String> ops = new ArrayList<>();
        if (at >= 0) {
            String path = "/metadata/finalizers/" + at;
            ops.add("{\"op\":\"test\",\"path\":\"" + path + "\",\"value\":\"" + finalizer + "\"}");
            ops.add("{\"op\":\"remove\",\"path\":\"" + path + "\"}");
        }
        if (hasLabel) {
            ops.add("{\"op\":\"remove\",\"path\":\"/metadata/labels/" + pointer(label) + "\"}");
        }
        patch(api, "[" + String.join(",", ops) + "]", client);
        api.removeFinalizer(finalizer);
        if (labels != null) {
            labels.remove(label);
        }
    }

    /** A JSON pointer segment: "~" and "/" escaped. */
    private static String pointer(String key) {
        return key.replace("~", "~0").replace("/", "~1");
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
