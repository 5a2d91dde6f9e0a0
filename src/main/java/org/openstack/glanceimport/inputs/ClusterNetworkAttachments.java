package org.openstack.glanceimport.inputs;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import org.openstack.glanceimport.runtime.Platform;
import org.openstack.glanceimport.validation.NetworkAttachmentChecks;

/**
 * The NetworkAttachmentDefinitions a GlanceAPI names, read directly: no informer caches them (the operator owns none and
 * would otherwise watch every one in the cluster), so a GlanceAPI held by a missing one is looked at again after a while
 * ({@link GlanceApiInputs#MISSING_RECHECK}), and only while it is missing.
 */
public final class ClusterNetworkAttachments implements NetworkAttachmentChecks.Definitions {

    /** Multus's CRD, as its manifests install it; given in full so that no discovery request precedes each read. */
    static final ResourceDefinitionContext NAD = new ResourceDefinitionContext.Builder()
            .withGroup("k8s.cni.cncf.io").withVersion("v1").withKind("NetworkAttachmentDefinition")
            .withPlural(Platform.NAD_RESOURCE).withNamespaced(true).build();

    private final Platform platform;
    private final KubernetesClient client;

    public ClusterNetworkAttachments(Platform platform, KubernetesClient client) {
        this.platform = platform;
        this.client = client;
    }

    @Override
    public boolean served() {
        return platform.servesNetworkAttachmentDefinitions();
    }

    @Override
    public boolean exists(String namespace, String name) {
        return client.genericKubernetesResources(NAD).inNamespace(namespace).withName(name).get() != null;
    }
}
