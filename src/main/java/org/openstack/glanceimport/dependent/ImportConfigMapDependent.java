package org.openstack.glanceimport.dependent;

import java.util.Map;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

import org.openstack.glanceimport.api.GlanceImportStaging;
import org.openstack.glanceimport.api.stores.BackendType;
import org.openstack.glanceimport.config.ImportConfigRenderer;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.runtime.TrimmedItemStore;

/**
 * ConfigMap {@code <policy>-import}: the import pipeline a staging policy gives each kind of backend, for people and tools
 * to inspect. Each GlanceAPI embeds the variant for its backend in its own ConfigMap, so its pods never read a file that
 * another object could change under them without a rollout.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ImportConfigMapDependent.SELECTOR, itemStore = TrimmedItemStore.class))
public class ImportConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, GlanceImportStaging> {

    private static final String NAME_LABEL_VALUE = "glance-import-staging";
    /** Only the policies' ConfigMaps: the GlanceAPIs' own (their rendered glance-api.conf) are cached by their controller. */
    static final String SELECTOR = Names.MANAGED_BY_SELECTOR + ",app.kubernetes.io/name=" + NAME_LABEL_VALUE;

    public ImportConfigMapDependent() {
        super(ConfigMap.class);
    }

    public static String name(GlanceImportStaging policy) {
        return policy.getMetadata().getName() + "-import";
    }

    @Override
    protected ConfigMap desired(GlanceImportStaging policy, Context<GlanceImportStaging> context) {
        Map<String, String> data = new TreeMap<>();
        for (BackendType backend : BackendType.values()) {
            data.put("glance-image-import-" + backend.name() + ".conf", ImportConfigRenderer.render(policy.getSpec(), backend == BackendType.rbd).render());
        }
        data.put("staging-stores.conf", ImportConfigRenderer.stagingStores().render());
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name(policy))
                .withNamespace(policy.getMetadata().getNamespace())
                .addToLabels("app.kubernetes.io/name", NAME_LABEL_VALUE)
                .addToLabels("app.kubernetes.io/instance", policy.getMetadata().getName())
                .addToLabels("app.kubernetes.io/managed-by", Names.MANAGED_BY)
                .addToLabels(Names.STAGING_LABEL, policy.getMetadata().getName())
                .endMetadata()
                .withData(data)
                .build();
    }
}
