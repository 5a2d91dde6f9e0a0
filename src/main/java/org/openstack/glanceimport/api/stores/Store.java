package org.openstack.glanceimport.api.stores;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One Glance store (an entry of enabled_backends); images can live in several, copy-image copies between them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.type != 'rbd' || has(self.rbd)", message = "a store of type rbd requires the rbd section (secretName, pool, user)")
@ValidationRule(value = "self.type != 's3' || has(self.s3)", message = "a store of type s3 requires the s3 section (endpoint, bucket, secretName)")
@ValidationRule(value = "self.type != 'swift' || has(self.swift)", message = "a store of type swift requires the swift section (authAddress, secretName)")
@ValidationRule(value = "(!has(self.rbd) || self.type == 'rbd') && (!has(self.file) || self.type == 'file') && (!has(self.s3) || self.type == 's3') "
        + "&& (!has(self.swift) || self.type == 'swift')", message = "a store may only have the section of its own type (rbd, file, s3 or swift)")
@ValidationRule(value = "self.name != 'default'", message = "store name \"default\" is ambiguous with the ini [DEFAULT] section; pick another")
public class Store {

    /**
     * A Kubernetes object name (DNS subdomain), for the Secrets and claims the stores name, and GlanceAPISpec's: keeps
     * references free of characters that could break ini files or labels. Here, where the api package can import it.
     */
    public static final String DNS_NAME = "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$";

    @JsonPropertyDescription("Store id: the ini section, the name users pass to copy-image and see in an image's stores.")
    @Required
    @Size(min = 1, max = 31)
    @Pattern("^[a-z][a-z0-9-]{0,30}$")
    public String name;

    @JsonPropertyDescription("rbd stores images in Ceph (converted to raw on import by default); s3 and swift in an object "
            + "store; file in a directory: on a claim every pod mounts (file.claimName), else on the pod's own staging claim (one pod only).")
    @Default("file")
    public BackendType type = BackendType.file;

    @JsonPropertyDescription("The store images go to when a request names none. Default: the first store.")
    @JsonProperty("default")
    public Boolean defaultStore;

    @JsonPropertyDescription("Shown to users in GET /v2/info/stores.")
    @Size(max = 255)
    @Pattern("^[^\\n\\r]*$")
    public String description;

    @JsonPropertyDescription("Ceph RBD settings, required when type is rbd.")
    public RbdBackend rbd;

    @JsonPropertyDescription("File store settings (type file): the shared claim that lets more than one pod serve the images.")
    public FileBackend file;

    @JsonPropertyDescription("S3 settings, required when type is s3.")
    public S3Backend s3;

    @JsonPropertyDescription("Swift settings, required when type is swift.")
    public SwiftBackend swift;

    public Store() {
    }

    public Store(String name, BackendType type) {
        this.name = name;
        this.type = type;
    }

    @JsonIgnore
    public boolean usesRbd() {
        return type == BackendType.rbd;
    }

    /** A file store on each pod's own staging claim: an image lives on the pod that stored it, and no other pod serves it. */
    @JsonIgnore
    public boolean podLocal() {
        return type == BackendType.file && (file == null || file.claimName == null);
    }

    /** The claim every pod mounts for this store, or null. */
    @JsonIgnore
    public String sharedClaim() {
        return type == BackendType.file && file != null ? file.claimName : null;
    }

    /** Whether the section of its type is there (a file store needs none); one without is refused as input. */
    @JsonIgnore
    public boolean hasSettings() {
        return switch (type) {
            case rbd -> rbd != null;
            case s3 -> s3 != null;
            case swift -> swift != null;
            case file -> true;
        };
    }

    @JsonIgnore
    public boolean isDefault() {
        return Boolean.TRUE.equals(defaultStore);
    }
}
