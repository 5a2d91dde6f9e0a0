package org.openstack.glanceimport.api.stores;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Where a file store keeps its images: a claim every pod mounts, or (unset) the pod's own staging claim. */
public class FileBackend {

    @JsonPropertyDescription("A ReadWriteMany PersistentVolumeClaim in the GlanceAPI's namespace (CephFS, NFS, ...), mounted "
            + "on every pod at the store's directory: an image stored through one pod is served by all, so the GlanceAPI may "
            + "run any number of pods. It must be writable by uid/gid 42415. Unset: images live on each pod's own staging "
            + "claim, which only that pod sees; such a store allows exactly one pod and no autoscaling.")
    @Size(min = 1, max = 253)
    @Pattern(Store.DNS_NAME)
    public String claimName;

    public FileBackend() {
    }

    public FileBackend(String claimName) {
        this.claimName = claimName;
    }
}
