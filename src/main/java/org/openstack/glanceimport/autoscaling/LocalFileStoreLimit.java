package org.openstack.glanceimport.autoscaling;

import java.util.List;

import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.stores.Store;

/**
 * A file store on each pod's own claim is seen by one pod only: a second pod answers downloads of the first pod's images
 * with HTTP 204 and an empty body. The CRD refuses such a spec with more than one pod; this holds where the schema cannot
 * see it (the scale subresource, CRDs without CEL): no pod is added, none that runs is removed, and the status says why.
 */
public final class LocalFileStoreLimit {

    /**
     * @param allowed the pods that may run
     * @param wanted what spec.replicas or autoscaling asked for
     * @param store the pod-local store, null when nothing is limited
     * @param field where that store is configured
     */
    public record Decision(int allowed, int wanted, String store, String field, boolean autoscaled) {

        public boolean limited() {
            return store != null;
        }

        /** What happened and the fixes, naming the fields; null when nothing is limited. */
        public String message() {
            if (!limited()) {
                return null;
            }
            String asked = autoscaled ? "spec.autoscaling wants " + wanted + " pods" : "spec.replicas asks for " + wanted + " pods";
            return asked + ", but store \"" + store + "\" (" + field + ") keeps images on each pod's own claim: another pod would "
                    + "answer their downloads with an empty body. Running " + allowed + " pod(s). Set " + field
                    + ".file.claimName to a ReadWriteMany claim every pod mounts, use an rbd store, or set spec.replicas to 1"
                    + (autoscaled ? " and remove spec.autoscaling" : "");
        }
    }

    private LocalFileStoreLimit() {
    }

    /** @param running the replicas the StatefulSet has now */
    public static Decision decide(GlanceAPISpec spec, int wanted, int running) {
        List<Store> local = spec.podLocalStores();
        if (local.isEmpty() || wanted <= 1) {
            return new Decision(wanted, wanted, null, null, false);
        }
        Store store = local.get(0);
        // without spec.stores the default store is the one: the fix adds it as spec.stores[0]
        int index = spec.stores == null ? 0 : Math.max(0, spec.stores.indexOf(store));
        return new Decision(Math.max(1, Math.min(wanted, running)), wanted, store.name, "spec.stores[" + index + "]",
                spec.autoscaling != null);
    }
}
