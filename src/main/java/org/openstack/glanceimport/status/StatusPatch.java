package org.openstack.glanceimport.status;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/**
 * Writes a status only when it differs from the one the resource has, so a reconcile at steady state writes nothing.
 * A status update (retried on conflict), not a JSON patch computed against a cached copy that may lag behind; the
 * written resource is cached so the next reconcile starts from it and does not write the same status again.
 * <p>
 * The body carries the name, the resourceVersion and the status, never the spec: the status subresource ignores a spec,
 * but the operator must never send the user's intent back, so no server or version can take it as the operator's.
 */
public final class StatusPatch {

    private StatusPatch() {
    }

    public static <S, P extends CustomResource<?, S>> UpdateControl<P> ifChanged(P resource, S status, Context<P> context) {
        if (resource.getStatus() != null && Serialization.asJson(resource.getStatus()).equals(Serialization.asJson(status))) {
            return UpdateControl.noUpdate();
        }
        try {
            PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(resource, context, r -> statusOnly(r, status));
        } catch (KubernetesClientException e) {
            // deleted while this reconcile ran (no finalizer holds a GlanceAPI): nobody is left to read the status, and a
            // failed reconcile would announce a Warning about an object that is gone
            if (e.getCode() != 404) {
                throw e;
            }
        }
        return UpdateControl.noUpdate();
    }

    /** A resource with the identity of {@code resource} and the given status, and nothing else. */
    @SuppressWarnings("unchecked")
    public static <S, P extends CustomResource<?, S>> P statusOnly(P resource, S status) {
        P body;
        try {
            body = (P) resource.getClass().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("custom resource " + resource.getClass() + " needs a no-argument constructor", e);
        }
        body.setSpec(null);
        body.setMetadata(new ObjectMetaBuilder().withName(resource.getMetadata().getName())
                .withNamespace(resource.getMetadata().getNamespace())
                .withResourceVersion(resource.getMetadata().getResourceVersion()).build());
        body.setStatus(status);
        return body;
    }
}
