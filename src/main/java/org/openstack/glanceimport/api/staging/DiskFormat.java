package org.openstack.glanceimport.api.staging;

/** Output formats the image_conversion plugin accepts. */
public enum DiskFormat {
    raw,
    qcow2,
    vmdk
}
