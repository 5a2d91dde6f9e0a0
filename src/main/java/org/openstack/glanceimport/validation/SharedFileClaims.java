package org.openstack.glanceimport.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;

import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.stores.Store;

/**
 * The claims shared file stores name: every pod mounts them, so they must exist (else every pod stays Pending) and allow
 * ReadWriteMany (else pods on other nodes cannot attach them). Checked before anything is applied.
 */
public final class SharedFileClaims {

    public static final String NOT_FOUND = "SharedClaimNotFound";
    public static final String NOT_SHARED = "SharedClaimNotReadWriteMany";
    private static final String READ_WRITE_MANY = "ReadWriteMany";

    private SharedFileClaims() {
    }

    /** @param lookup a claim of the GlanceAPI's namespace by name, null when there is none */
    public static List<InputProblem> check(GlanceAPISpec spec, String namespace, Function<String, PersistentVolumeClaim> lookup) {
        List<InputProblem> problems = new ArrayList<>();
        List<Store> stores = spec.storesOrDefault();
        for (int i = 0; i < stores.size(); i++) {
            String claimName = stores.get(i).sharedClaim();
            if (claimName == null) {
                continue;
            }
            String field = "spec.stores[" + i + "].file.claimName";
            String store = "store \"" + stores.get(i).name + "\": ";
            PersistentVolumeClaim claim = lookup.apply(claimName);
            if (claim == null) {
                problems.add(new InputProblem(NOT_FOUND, field, store + "PersistentVolumeClaim \"" + claimName
                        + "\" not found in namespace " + namespace + "; create it with accessModes [ReadWriteMany]"));
            } else if (claim.getSpec() == null || claim.getSpec().getAccessModes() == null
                    || !claim.getSpec().getAccessModes().contains(READ_WRITE_MANY)) {
                problems.add(new InputProblem(NOT_SHARED, field, store + "PersistentVolumeClaim \"" + claimName + "\" has accessModes "
                        + (claim.getSpec() == null ? "[]" : claim.getSpec().getAccessModes()) + "; every glance-api pod mounts it, "
                        + "which needs ReadWriteMany (a CephFS or NFS StorageClass)"));
            }
        }
        return problems;
    }
}
