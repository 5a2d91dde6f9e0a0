package org.openstack.glanceimport.openshift;

import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.runtime.TrimmedItemStore;

/**
 * May use the SCC nonroot-v2, and nothing else. The operator holds the same grant, which is what lets it create this
 * Role (the API server refuses a Role granting more than its creator holds).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_BY_SELECTOR, itemStore = TrimmedItemStore.class))
public class SccRoleDependent extends CRUDKubernetesDependentResource<Role, GlanceAPI> {

    public SccRoleDependent() {
        super(Role.class);
    }

    @Override
    protected Role desired(GlanceAPI api, Context<GlanceAPI> context) {
        return new RoleBuilder().withMetadata(Names.metadata(api, SccAdmission.role(api)))
                .withRules(new PolicyRuleBuilder().withApiGroups("security.openshift.io")
                        .withResources("securitycontextconstraints").withResourceNames(SccAdmission.SCC).withVerbs("use").build())
                .build();
    }
}
