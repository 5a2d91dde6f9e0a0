package org.openstack.glanceimport.api.staging;

import com.fasterxml.jackson.annotation.JsonValue;

public enum ImportMethod {
    GLANCE_DIRECT("glance-direct"),
    WEB_DOWNLOAD("web-download"),
    COPY_IMAGE("copy-image"),
    GLANCE_DOWNLOAD("glance-download");

    private final String glanceName;

    ImportMethod(String glanceName) {
        this.glanceName = glanceName;
    }

    @JsonValue
    public String glanceName() {
        return glanceName;
    }
}
