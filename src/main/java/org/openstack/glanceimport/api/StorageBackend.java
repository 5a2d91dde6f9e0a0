package org.openstack.glanceimport.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.type != 'rbd' || has(self.rbd)", message = "type rbd requires the rbd section (secretName, pool, user)")
public class StorageBackend {

    @JsonPropertyDescription("rbd stores images in Ceph (converted to raw on import by default); file stores them on the pod's volume.")
    @Default("file")
    public BackendType type = BackendType.file;

    @JsonPropertyDescription("Ceph RBD settings, required when type is rbd.")
    public RbdBackend rbd;

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean usesRbd() {
        return type == BackendType.rbd;
    }
}
