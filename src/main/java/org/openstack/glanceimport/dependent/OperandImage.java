package org.openstack.glanceimport.dependent;

/** The glance-api image; OLM pins it through RELATED_IMAGE_GLANCE_API for disconnected installs. */
public record OperandImage(String reference) {

    public static final String ENV = "RELATED_IMAGE_GLANCE_API";
    public static final String DEFAULT = "quay.io/podified-antelope-centos9/openstack-glance-api:current-podified";

    public static OperandImage fromEnvironment() {
        String value = System.getenv(ENV);
        return new OperandImage(value == null || value.isBlank() ? DEFAULT : value.strip());
    }
}
