package org.openstack.glanceimport.api;

public enum BackendType {
    rbd,
    file
}
