package org.openstack.glanceimport.pod;

/** The operand images; OLM pins them through RELATED_IMAGE_* variables for disconnected installs. */
public record OperandImage(String reference) {

    public static final String ENV = "RELATED_IMAGE_GLANCE_API";
    public static final String DEFAULT = "quay.io/podified-antelope-centos9/openstack-glance-api:current-podified";
    public static final String TLS_PROXY_ENV = "RELATED_IMAGE_TLS_PROXY";
    public static final String TLS_PROXY_DEFAULT = "docker.io/library/haproxy:2.8";

    public static OperandImage fromEnvironment() {
        return new OperandImage(env(ENV, DEFAULT));
    }

    public static String tlsProxyFromEnvironment() {
        return env(TLS_PROXY_ENV, TLS_PROXY_DEFAULT);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
