package org.openstack.glanceimport.api.stores;

/** The glance_store drivers a store can use; the value is the driver's name in enabled_backends. */
public enum BackendType {
    rbd,
    file,
    s3,
    swift
}
