package org.openstack.glanceimport.api.staging;

public enum ConversionMode {
    /** On when the consuming GlanceAPI stores images in RBD, where only raw images can be cloned. */
    Auto,
    Always,
    Never
}
