package org.openstack.glanceimport.inputs;

import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * The user Secrets a GlanceAPI reads (database, Keystone, Ceph, TLS). The informer watches only Secrets carrying
 * {@link #LABEL}, so the operator's memory does not grow with the cluster's other Secrets (service-account tokens, Helm
 * releases, certificates), as the Keycloak operator does it. A Secret the informer does not hold yet is read once and
 * labelled; from then on its changes arrive as events and re-render the pods within seconds. The label is the only
 * thing the operator ever writes to a user's Secret, and it stays when the reference goes (it only makes the Secret
 * watched).
 */
public final class ReferencedSecrets {

    static final String LABEL = "import.glance.openstack.org/referenced";
    public static final String SELECTOR = LABEL + "=true";

    private ReferencedSecrets() {
    }

    /** The namespace's Secrets by name, as {@link #lookup(InformerEventSource, KubernetesClient, String, String)} reads them. */
    public static java.util.function.Function<String, Secret> lookup(InformerEventSource<Secret, ?> watched, KubernetesClient client,
            String namespace) {
        return name -> lookup(watched, client, namespace, name);
    }

    public static Secret lookup(InformerEventSource<Secret, ?> watched, KubernetesClient client, String namespace, String name) {
        Optional<Secret> cached = watched.get(new ResourceID(name, namespace));
        if (cached.isPresent()) {
            return cached.get();
        }
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            return null;
        }
        Map<String, String> labels = secret.getMetadata().getLabels();
        if (labels == null || !"true".equals(labels.get(LABEL))) {
            try {
                // a merge patch of one label: nothing else of the user's Secret is sent back
                client.secrets().inNamespace(namespace).withName(name)
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"" + LABEL + "\":\"true\"}}}");
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
                return null;
            }
        }
        return secret;
    }
}
