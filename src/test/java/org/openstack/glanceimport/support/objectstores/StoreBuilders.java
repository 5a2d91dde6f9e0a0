package org.openstack.glanceimport.support.objectstores;

import org.openstack.glanceimport.api.stores.BackendType;
import org.openstack.glanceimport.api.stores.S3Backend;
import org.openstack.glanceimport.api.stores.Store;
import org.openstack.glanceimport.api.stores.SwiftBackend;

/** Object stores for test specs: the required fields set, the rest at their defaults. */
public final class StoreBuilders {

    private StoreBuilders() {
    }

    public static S3Backend s3(String endpoint, String bucket, String secretName) {
        S3Backend s3 = new S3Backend();
        s3.endpoint = endpoint;
        s3.bucket = bucket;
        s3.secretName = secretName;
        return s3;
    }

    public static SwiftBackend swift(String authAddress, String version, String container, String secretName) {
        SwiftBackend swift = new SwiftBackend();
        swift.authAddress = authAddress;
        swift.authVersion = version;
        swift.container = container;
        swift.secretName = secretName;
        return swift;
    }

    /** A store named {@code name} of the backend's type, with that backend as its section. */
    public static Store store(String name, S3Backend s3) {
        Store store = new Store(name, BackendType.s3);
        store.s3 = s3;
        return store;
    }

    public static Store store(String name, SwiftBackend swift) {
        Store store = new Store(name, BackendType.swift);
        store.swift = swift;
        return store;
    }
}
