package org.openstack.glanceimport.api;

public enum RetentionPolicy {
    Retain,
    Delete
}
