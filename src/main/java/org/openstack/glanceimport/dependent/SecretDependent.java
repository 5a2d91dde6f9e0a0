package org.openstack.glanceimport.dependent;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.plan.ReconcilePlan;
import org.openstack.glanceimport.runtime.TrimmedItemStore;

/** Secret {@code <name>-secrets}: the ini file with the database URL and the Keystone service password. */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_BY_SELECTOR, itemStore = TrimmedItemStore.class))
public class SecretDependent extends CRUDKubernetesDependentResource<Secret, GlanceAPI> {

    public SecretDependent() {
        super(Secret.class);
    }

    @Override
    protected Secret desired(GlanceAPI api, Context<GlanceAPI> context) {
        // data, not stringData: the API server returns data, and comparing like with like keeps steady state write-free
        Map<String, String> data = new TreeMap<>();
        ReconcilePlan.of(context).rendered().secretFiles().forEach(
                (k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return new SecretBuilder()
                .withMetadata(Names.metadata(api, Names.secret(api)))
                .withType("Opaque")
                .withData(data)
                .build();
    }
}
