package org.openstack.glanceimport.claims;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Whether a bound claim can grow in place: only when its StorageClass says allowVolumeExpansion. */
public final class ClaimExpansion {

    private ClaimExpansion() {
    }

    /** Read only when a claim is smaller than its policy asks, so steady state costs no request. */
    public static boolean allowed(KubernetesClient client, PersistentVolumeClaim claim) {
        String className = claim.getSpec().getStorageClassName();
        if (className == null || className.isEmpty()) {
            return false;
        }
        StorageClass storageClass = client.storage().v1().storageClasses().withName(className).get();
        return storageClass != null && Boolean.TRUE.equals(storageClass.getAllowVolumeExpansion());
    }

    public static String className(PersistentVolumeClaim claim) {
        String className = claim.getSpec().getStorageClassName();
        return className == null || className.isEmpty() ? "(none)" : className;
    }
}
