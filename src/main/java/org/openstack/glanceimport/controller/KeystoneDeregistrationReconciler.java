package org.openstack.glanceimport.controller;

import java.time.Duration;
import java.time.Instant;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.keystone.KeystoneRegistrations;
import org.openstack.glanceimport.keystone.RegistrationOutcome;
import org.openstack.glanceimport.runtime.TrimmedItemStore;
import org.openstack.glanceimport.status.GlanceApiStatusWriter;

/**
 * Removes a deleted GlanceAPI's catalogue entries made through Keystone's API. It sees only GlanceAPIs labelled by the
 * main reconciler before it registered (so no other GlanceAPI gets a finalizer, and deleting one never waits for the
 * operator); its finalizer is set in the same patch as the label. While Keystone cannot take the entries back the
 * deletion waits, on a backoff, at most {@link #PATIENCE}, then goes on with a Warning naming what is left (a namespace
 * deletion may have taken the credentials' Secret already).
 */
@ControllerConfiguration(name = KeystoneDeregistrationReconciler.NAME, finalizerName = KeystoneDeregistrationReconciler.FINALIZER,
        informer = @Informer(labelSelector = KeystoneDeregistrationReconciler.LABEL + "=true", itemStore = TrimmedItemStore.class))
public class KeystoneDeregistrationReconciler implements Reconciler<GlanceAPI>, Cleaner<GlanceAPI> {

    public static final String NAME = "glanceapi-keystone";
    public static final String FINALIZER = "import.glance.openstack.org/keystone-registration";
    public static final String LABEL = "import.glance.openstack.org/keystone-registration";
    static final Duration PATIENCE = Duration.ofMinutes(10);

    private final KeystoneRegistrations keystone;
    private final GlanceApiStatusWriter status;

    public KeystoneDeregistrationReconciler(KeystoneRegistrations keystone, GlanceApiStatusWriter status) {
        this.keystone = keystone;
        this.status = status;
    }

    /** Registering is GlanceApiReconciler's: nothing to do until the deletion. */
    @Override
    public UpdateControl<GlanceAPI> reconcile(GlanceAPI api, Context<GlanceAPI> context) {
        return UpdateControl.noUpdate();
    }

    @Override
    public DeleteControl cleanup(GlanceAPI api, Context<GlanceAPI> context) {
        String ns = api.getMetadata().getNamespace();
        // read directly: the referenced-Secrets informer belongs to the other controller
        RegistrationOutcome outcome = keystone.removeOnDeletion(api, name -> context.getClient().secrets().inNamespace(ns).withName(name).get(),
                context.getClient());
        boolean patienceOver = Instant.now().isAfter(Instant.parse(api.getMetadata().getDeletionTimestamp()).plus(PATIENCE));
        status.deregistration(api, outcome, patienceOver, keystone.failures(api) == 1);
        if (!outcome.registered() || patienceOver) {
            return DeleteControl.defaultDelete();
        }
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(outcome.recheck().orElse(Duration.ofSeconds(30)));
    }
}
