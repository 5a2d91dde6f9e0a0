package org.openstack.glanceimport.validation;

import java.util.ArrayList;
import java.util.List;

import org.openstack.glanceimport.api.GlanceAPISpec;

/**
 * spec.networkAttachments must be honoured, or the pods would start without the storage network and fail only when
 * they reach a store: Multus must be installed (its NetworkAttachmentDefinition API served), and every definition named
 * must exist. Checked before anything is applied, so a missing one leaves running pods as they are.
 */
public final class NetworkAttachmentChecks {

    public static final String MULTUS_MISSING = "MultusNotInstalled";
    public static final String NOT_FOUND = "NetworkAttachmentNotFound";

    /** The cluster as these checks need it; asked only for GlanceAPIs that name attachments. */
    public interface Definitions {
        /** Whether the API server serves k8s.cni.cncf.io/v1 network-attachment-definitions (Multus is installed). */
        boolean served();

        boolean exists(String namespace, String name);
    }

    private NetworkAttachmentChecks() {
    }

    /** @param namespace the GlanceAPI's: where a definition named without a namespace is looked for, as Multus does */
    public static List<InputProblem> check(GlanceAPISpec spec, String namespace, Definitions definitions) {
        List<InputProblem> problems = new ArrayList<>();
        List<String> attachments = spec.networkAttachments;
        if (attachments == null || attachments.isEmpty()) {
            return problems;
        }
        if (!definitions.served()) {
            problems.add(new InputProblem(MULTUS_MISSING, "spec.networkAttachments", "the cluster does not serve "
                    + "k8s.cni.cncf.io/v1 network-attachment-definitions: Multus is not installed, and the pods would start "
                    + "without the networks " + attachments + " (the storage network): install Multus or remove the field"));
            return problems;
        }
        for (int i = 0; i < attachments.size(); i++) {
            String reference = attachments.get(i);
            int slash = reference.indexOf('/');
            String ns = slash < 0 ? namespace : reference.substring(0, slash);
            String name = reference.substring(slash + 1);
            if (!definitions.exists(ns, name)) {
                problems.add(new InputProblem(NOT_FOUND, "spec.networkAttachments[" + i + "]", "NetworkAttachmentDefinition "
                        + ns + "/" + name + " not found"));
            }
        }
        return problems;
    }
}
