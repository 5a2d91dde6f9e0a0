package org.openstack.glanceimport.api.staging;

/** Names are the Kubernetes spellings, so the enum serialises as-is. */
public enum AccessMode {
    ReadWriteOnce,
    ReadWriteOncePod,
    ReadWriteMany
}
