package org.openstack.glanceimport.delivery;

import java.util.List;
import java.util.Map;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** `helm template` of the checked-in chart with the helm binary that helm-java ships (no download, no cluster). */
public final class HelmRender {

    private HelmRender() {
    }

    public static List<HasMetadata> template(String namespace, Map<String, Object> values) {
        TemplateCommand template = new Helm(Manifests.CHART).template().withName("glance-import").withNamespace(namespace);
        values.forEach(template::set);
        return Manifests.objects(template.call());
    }
}
