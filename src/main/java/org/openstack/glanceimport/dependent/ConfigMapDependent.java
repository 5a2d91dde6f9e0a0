package org.openstack.glanceimport.dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.config.RenderedConfig;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.plan.ReconcilePlan;
import org.openstack.glanceimport.runtime.TrimmedItemStore;

/** ConfigMap {@code <name>-config}: the non-secret ini files every pod of the GlanceAPI reads. */
// each ConfigMap is cached once: the policies' import ConfigMaps are the GlanceImportStaging controller's
@KubernetesDependent(informer = @Informer(labelSelector = Names.GLANCEAPI_OBJECTS_SELECTOR, itemStore = TrimmedItemStore.class))
public class ConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, GlanceAPI> {

    public ConfigMapDependent() {
        super(ConfigMap.class);
    }

    @Override
    protected ConfigMap desired(GlanceAPI api, Context<GlanceAPI> context) {
        RenderedConfig rendered = ReconcilePlan.of(context).rendered();
        return new ConfigMapBuilder()
                .withMetadata(Names.metadata(api, Names.configMap(api)))
                .withData(rendered.configFiles())
                .build();
    }
}
