package org.openstack.glanceimport.inputs;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.Secret;

import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.stores.Store;
import org.openstack.glanceimport.config.CephLayout;
import org.openstack.glanceimport.config.StoreCredentials;
import org.openstack.glanceimport.validation.InputProblem;
import org.openstack.glanceimport.validation.SecretInputs;

/** The Secrets the stores name (Ceph, S3, Swift): which they are, and what they hold for the rendering. */
final class StoreSecrets {

    private StoreSecrets() {
    }

    /** Every store's Secret, watched like the other Secrets a GlanceAPI reads. */
    static Set<String> names(GlanceAPISpec spec) {
        Set<String> names = new LinkedHashSet<>(spec.rbdStoresBySecret().keySet());
        spec.s3Stores().forEach(s -> names.add(s.s3.secretName));
        spec.swiftStores().forEach(s -> names.add(s.swift.secretName));
        return names;
    }

    /**
     * Reads and checks each store's Secret; problems go to {@code secrets}, each naming the store. What the pods mount as
     * it is (the Ceph Secrets) goes into {@code mounted}, so a change rolls them.
     */
    static StoreCredentials read(GlanceAPISpec spec, SecretInputs secrets, Function<String, Secret> lookup, Map<String, String> mounted) {
        List<Store> stores = spec.storesOrDefault();
        Map<String, String> cephConfs = new TreeMap<>();
        Map<String, StoreCredentials.S3> s3 = new TreeMap<>();
        Map<String, StoreCredentials.Swift> swift = new TreeMap<>();
        spec.rbdStoresBySecret().forEach((name, onSecret) -> {
            // one read per Secret: the stores on it share one directory of the pods
            Store first = onSecret.get(0);
            String field = field(stores, first, "rbd");
            Optional<Map<String, String>> data = forStore(secrets, first, () -> secrets.read(field, name, lookup)
                    .map(d -> {
                        secrets.ceph(field, name, d);
                        return d;
                    }));
            data.ifPresent(d -> {
                cephConfs.put(name, d.getOrDefault("ceph.conf", ""));
                // with one Secret the keys are those of the releases that allowed only one: an upgrade does not roll the pods
                String prefix = CephLayout.asIs(spec) ? "ceph/" : "ceph/" + name + "/";
                d.forEach((k, v) -> mounted.put(prefix + k, v));
            });
        });
        for (Store store : spec.s3Stores()) {
            String field = field(stores, store, "s3");
            forStore(secrets, store, () -> secrets.read(field, store.s3.secretName, lookup)
                    .flatMap(d -> secrets.s3(field, store.s3.secretName, d))).ifPresent(c -> s3.put(store.name, c));
        }
        for (Store store : spec.swiftStores()) {
            String field = field(stores, store, "swift");
            boolean keystone = !"1".equals(store.swift.authVersion);
            forStore(secrets, store, () -> secrets.read(field, store.swift.secretName, lookup)
                    .flatMap(d -> secrets.swift(field, store.swift.secretName, d, keystone))).ifPresent(c -> swift.put(store.name, c));
        }
        return new StoreCredentials(cephConfs, s3, swift);
    }

    private static String field(List<Store> stores, Store store, String section) {
        return "spec.stores[" + stores.indexOf(store) + "]." + section + ".secretName";
    }

    /** Runs one store's checks and names the store in the problems they found (the field gives only its index). */
    private static <T> Optional<T> forStore(SecretInputs secrets, Store store, Supplier<Optional<T>> check) {
        int before = secrets.problems().size();
        Optional<T> result = check.get();
        List<InputProblem> found = secrets.problems().subList(before, secrets.problems().size());
        found.replaceAll(p -> new InputProblem(p.reason(), p.field(), p.message() + " (store \"" + store.name + "\")"));
        return result;
    }
}
