package org.openstack.glanceimport.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** The staging and import-pipeline policy that any number of GlanceAPIs share. */
@Group(GlanceAPI.GROUP)
@Version(GlanceAPI.VERSION)
@ShortNames("gis")
@AdditionalPrinterColumn(name = "Staging Size", jsonPath = ".spec.storage.size", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Access Mode", jsonPath = ".spec.storage.accessMode", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class GlanceImportStaging extends CustomResource<GlanceImportStagingSpec, GlanceImportStagingStatus>
        implements Namespaced {

    @Override
    protected GlanceImportStagingSpec initSpec() {
        return new GlanceImportStagingSpec();
    }

}
