package org.openstack.glanceimport.openshift;

import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.runtime.TrimmedItemStore;

/** Binds the pods' ServiceAccount to the Role that may use nonroot-v2. */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_BY_SELECTOR, itemStore = TrimmedItemStore.class))
public class SccRoleBindingDependent extends CRUDKubernetesDependentResource<RoleBinding, GlanceAPI> {

    public SccRoleBindingDependent() {
        super(RoleBinding.class);
    }

    @Override
    protected RoleBinding desired(GlanceAPI api, Context<GlanceAPI> context) {
        return new RoleBindingBuilder().withMetadata(Names.metadata(api, SccAdmission.role(api)))
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(SccAdmission.role(api)).endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName(Names.serviceAccount(api))
                .withNamespace(api.getMetadata().getNamespace()).endSubject()
                .build();
    }
}
