package org.openstack.glanceimport.controller;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/**
 * Writes a status only when it differs from the one the resource has, so a reconcile at steady state writes nothing.
 * A status update (retried on conflict), not a JSON patch computed against a cached copy that may lag behind; the
 * written resource is cached so the next reconcile starts from it and does not write the same status again.
 */
final class StatusPatch {

    private StatusPatch() {
    }

    static <S, P extends CustomResource<?, S>> UpdateControl<P> ifChanged(P resource, S status, Context<P> context) {
        if (resource.getStatus() != null && Serialization.asJson(resource.getStatus()).equals(Serialization.asJson(status))) {
            return UpdateControl.noUpdate();
        }
        PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(resource, context, r -> {
            r.setStatus(status);
            return r;
        });
        return UpdateControl.noUpdate();
    }
}
