package org.openstack.glanceimport.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * HTTPS for the image API. Glance (Zed and later) cannot terminate TLS itself, so a proxy container in each pod does, and
 * glance-api listens on the pod's loopback only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Tls {

    @JsonPropertyDescription("Secret (type kubernetes.io/tls, e.g. from cert-manager) with tls.crt and tls.key. The certificate must "
            + "cover every pod's name <name>-<i>.<name>-headless.<namespace>.svc (a wildcard *.<name>-headless.<namespace>.svc does), "
            + "since pods proxy imports to each other by those names. A change rolls the pods.")
    @Required
    @Size(min = 1, max = 253)
    @Pattern(GlanceAPISpec.DNS_NAME)
    public String secretName;

    @JsonPropertyDescription("Secret whose key ca.crt holds the CA bundle pods use to verify each other (and every other https "
            + "server Glance calls, e.g. Keystone). Default: the ca.crt key of secretName.")
    @Size(min = 1, max = 253)
    @Pattern(GlanceAPISpec.DNS_NAME)
    public String caSecretName;

    @JsonPropertyDescription("Image of the TLS proxy container (haproxy 2.2 or later). Default: the operator's RELATED_IMAGE_TLS_PROXY.")
    @Size(max = 512)
    @Pattern("^[^\\s]+$")
    public String proxyImage;

    /** The Secret whose ca.crt the pods verify each other with. */
    @JsonIgnore
    public String caSecret() {
        return caSecretName != null ? caSecretName : secretName;
    }
}
