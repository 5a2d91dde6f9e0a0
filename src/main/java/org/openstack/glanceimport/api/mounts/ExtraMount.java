package org.openstack.glanceimport.api.mounts;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import org.openstack.glanceimport.api.stores.Store;

/** A Secret or ConfigMap of the user's, mounted read-only into the glance-api container. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.secretName) != has(self.configMapName)", message = "an extra mount names either "
        + "secretName or configMapName")
@ValidationRule(value = "!" + ExtraMount.RESERVED + ".exists(p, self.mountPath == p || self.mountPath.startsWith(p + '/') "
        + "|| p.startsWith(self.mountPath + '/'))", message = "mountPath must not be, hold or lie under a path the operator "
        + "mounts: " + ExtraMount.RESERVED)
public class ExtraMount {

    /** What the operator mounts or the pods need from the image: covering one of them would break the pods. */
    public static final String RESERVED = "['/etc/glance/glance.conf.d', '/etc/glance/glance-api-paste.ini', "
            + "'/etc/glance/tls-proxy', '/etc/glance/tls-ca', '/var/lib/glance', '/var/lib/glance-stores', '/var/cache/glance', "
            + "'/etc/ceph', '/tmp']";

    @JsonPropertyDescription("Absolute path in the glance-api container: a directory holding the object's keys as files, "
            + "or with subPath the one file. Not a path the operator mounts (the config directory, the staging, store, cache, "
            + "TLS and Ceph directories, /tmp) nor one above them. Example: /etc/glance/policy.d, where Glance reads policy "
            + "files after its own.")
    @Required
    @Size(max = 512)
    @Pattern("^(/[A-Za-z0-9_@+-][A-Za-z0-9._@+-]*)+$")
    public String mountPath;

    @JsonPropertyDescription("Secret (same namespace) to mount.")
    @Size(max = 253)
    @Pattern(Store.DNS_NAME)
    public String secretName;

    @JsonPropertyDescription("ConfigMap (same namespace) to mount.")
    @Size(max = 253)
    @Pattern(Store.DNS_NAME)
    public String configMapName;

    @JsonPropertyDescription("One key of the object, mounted as the file mountPath. Kubernetes does not update such a "
            + "file when the object changes (a whole-object mount is updated within a minute or so).")
    @Size(max = 253)
    @Pattern("^[-._a-zA-Z0-9]+$")
    public String subPath;

    public ExtraMount() {
    }

    public ExtraMount(String mountPath, String secretName, String configMapName, String subPath) {
        this.mountPath = mountPath;
        this.secretName = secretName;
        this.configMapName = configMapName;
        this.subPath = subPath;
    }

    /** The reserved paths, as the CEL rule lists them. */
    public static List<String> reserved() {
        return List.of(RESERVED.replaceAll("[\\[\\]' ]", "").split(","));
    }

    /** What the CEL rule refuses, for API servers that did not evaluate it. */
    public boolean coversReserved() {
        return reserved().stream().anyMatch(p -> mountPath.equals(p) || mountPath.startsWith(p + "/") || p.startsWith(mountPath + "/"));
    }
}
