package org.openstack.glanceimport.api;

/** Output formats the image_conversion plugin accepts. */
public enum DiskFormat {
    raw,
    qcow2,
    vmdk
}
