package org.openstack.glanceimport.api.staging;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.accessMode != 'ReadWriteMany' || (has(self.allowShared) && self.allowShared)",
        message = "accessMode ReadWriteMany requires allowShared: true; distributed import needs no shared staging")
@ValidationRule(value = "has(oldSelf.storageClassName) == has(self.storageClassName) && (!has(self.storageClassName) || self.storageClassName == oldSelf.storageClassName)",
        message = "storageClassName cannot be changed: existing staging claims keep their class; create a new GlanceImportStaging instead")
@ValidationRule(value = "self.accessMode == oldSelf.accessMode",
        message = "accessMode cannot be changed: existing staging claims keep their mode; create a new GlanceImportStaging instead")
// Kubernetes 1.26 has no CEL quantity(): a shrinking size is refused by the operator (StagingReady ShrinkRefused)
public class StagingStorage {

    @JsonPropertyDescription("Requested size of each pod's staging claim. It must hold the largest image being imported plus its converted copy.")
    @Default("10Gi")
    public Quantity size = new Quantity("10Gi");

    @JsonPropertyDescription("StorageClass of the staging claims; empty means the cluster default.")
    public String storageClassName;

    @JsonPropertyDescription("Access mode of the staging claims.")
    @Default("ReadWriteOnce")
    public AccessMode accessMode = AccessMode.ReadWriteOnce;

    @JsonPropertyDescription("Must be true to use ReadWriteMany. Shared staging is discouraged: distributed import needs none, "
            + "it is slower than local disk and few volume types support it.")
    public Boolean allowShared;
}
