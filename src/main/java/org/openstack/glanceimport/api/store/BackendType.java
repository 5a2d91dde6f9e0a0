package org.openstack.glanceimport.api.store;

public enum BackendType {
    rbd,
    file
}
