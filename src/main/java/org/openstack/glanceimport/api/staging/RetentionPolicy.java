package org.openstack.glanceimport.api.staging;

public enum RetentionPolicy {
    Retain,
    Delete
}
