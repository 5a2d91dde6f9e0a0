package org.openstack.glanceimport.support;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.inputs.GlanceApiInputs;
import org.openstack.glanceimport.naming.Names;

/** Everything a GlanceAPI became, read back from the API server: what the demo prints and the e2e suite runs. */
public final class GlanceApiObjects {

    private GlanceApiObjects() {
    }

    /** How many GlanceAPIs of the namespace have condition Ready True. */
    public static long readyCount(KubernetesClient client, String ns) {
        return client.resources(GlanceAPI.class).inNamespace(ns).list().getItems().stream()
                .filter(g -> StatusConditions.isTrue(g, "Ready"))
                .count();
    }

    public static KubernetesList of(KubernetesClient client, GlanceAPI api) {
        String ns = api.getMetadata().getNamespace();
        String name = api.getMetadata().getName();
        List<HasMetadata> items = new ArrayList<>();
        StatefulSet sts = client.apps().statefulSets().inNamespace(ns).withName(name).get();
        items.add(sts);
        items.add(client.services().inNamespace(ns).withName(name).get());
        items.add(client.services().inNamespace(ns).withName(Names.headlessService(api)).get());
        items.add(client.configMaps().inNamespace(ns).withName(Names.configMap(api)).get());
        items.add(client.secrets().inNamespace(ns).withName(Names.secret(api)).get());
        GlanceApiInputs.referencedSecrets(api).forEach(s -> items.add(client.secrets().inNamespace(ns).withName(s).get()));
        api.getSpec().extraMountsOrNone().stream().filter(m -> m.configMapName != null)
                .forEach(m -> items.add(client.configMaps().inNamespace(ns).withName(m.configMapName).get()));
        items.addAll(client.persistentVolumeClaims().inNamespace(ns).withLabel(Names.GLANCEAPI_LABEL, name).list().getItems());
        items.addAll(client.batch().v1().cronjobs().inNamespace(ns).withLabel(Names.GLANCEAPI_LABEL, name).list().getItems());
        items.forEach(item -> item.getMetadata().setManagedFields(null));
        return new KubernetesListBuilder().withItems(items).build();
    }
}
