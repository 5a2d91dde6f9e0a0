package org.openstack.glanceimport.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A Glance image API whose pods each stage imports on their own claim and advertise their own URL. */
@Group(GlanceAPI.GROUP)
@Version(GlanceAPI.VERSION)
@ShortNames("gapi")
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".spec.replicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.readyReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Staging Size", jsonPath = ".status.stagingSize", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class GlanceAPI extends CustomResource<GlanceAPISpec, GlanceAPIStatus> implements Namespaced {

    public static final String GROUP = "import.glance.openstack.org";
    public static final String VERSION = "v1beta1";

    @Override
    protected GlanceAPISpec initSpec() {
        return new GlanceAPISpec();
    }

}
