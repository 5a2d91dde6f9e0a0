package org.openstack.glanceimport.api.exposure;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The URLs to register in Keystone's catalogue: the internal one, and the public one once there is one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Endpoints {

    @JsonPropertyDescription("In-cluster URL of the image API (Keystone's internal endpoint); the same as status.endpoint.")
    public String internal;

    @JsonPropertyDescription("URL clients outside the cluster use (Keystone's public endpoint): the Route's admitted host, "
            + "else the LoadBalancer Service's address. Absent until there is one.")
    @JsonProperty("public")
    public String publicUrl;

    @JsonPropertyDescription("Why public is absent, when it is.")
    public String message;

    public Endpoints() {
    }

    public Endpoints(String internal, String publicUrl, String message) {
        this.internal = internal;
        this.publicUrl = publicUrl;
        this.message = message;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoints e && Objects.equals(internal, e.internal)
                && Objects.equals(publicUrl, e.publicUrl) && Objects.equals(message, e.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(internal, publicUrl, message);
    }
}
