package org.openstack.glanceimport.openshift;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.runtime.TrimmedItemStore;

/** The identity the GlanceAPI's pods are admitted under on OpenShift (see SccAdmission); it mounts no token. */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_BY_SELECTOR, itemStore = TrimmedItemStore.class))
public class ServiceAccountDependent extends CRUDKubernetesDependentResource<ServiceAccount, GlanceAPI> {

    public ServiceAccountDependent() {
        super(ServiceAccount.class);
    }

    @Override
    protected ServiceAccount desired(GlanceAPI api, Context<GlanceAPI> context) {
        return new ServiceAccountBuilder().withMetadata(Names.metadata(api, Names.serviceAccount(api)))
                .withAutomountServiceAccountToken(false).build();
    }
}
