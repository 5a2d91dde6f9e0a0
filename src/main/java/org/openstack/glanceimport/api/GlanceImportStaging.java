package org.openstack.glanceimport.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
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
@ValidationRule(value = GlanceImportStaging.NAME_LENGTH_RULE, message = GlanceImportStaging.NAME_LENGTH_MESSAGE)
public class GlanceImportStaging extends CustomResource<GlanceImportStagingSpec, GlanceImportStagingStatus>
        implements Namespaced {

    /** The name labels the staging claims and the import ConfigMap, and a label value has at most 63 characters. */
    public static final int MAX_NAME_LENGTH = 63;
    static final String NAME_LENGTH_RULE = "self.metadata.name.size() <= " + MAX_NAME_LENGTH;
    public static final String NAME_LENGTH_MESSAGE = "the name must be at most " + MAX_NAME_LENGTH
            + " characters: it labels the staging claims (import.glance.openstack.org/staging)";

    /**
     * No spec until one is read or set. JOSDK adds finalizers by server-side applying a newly constructed resource, and
     * whatever spec that carries is force-applied over the user's: a spec built from the Java field defaults once
     * reset replicas, ports and sizes. The operator writes only metadata.finalizers and status; defaults are the CRD's.
     */
    @Override
    protected GlanceImportStagingSpec initSpec() {
        return null;
    }

}
