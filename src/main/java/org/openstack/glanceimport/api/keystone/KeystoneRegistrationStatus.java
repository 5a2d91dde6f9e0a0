package org.openstack.glanceimport.api.keystone;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the operator registered, so that it removes exactly that and nothing it did not create. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeystoneRegistrationStatus {

    @JsonPropertyDescription("KeystoneAPI (registered through Keystone's v3 API) or KeystoneOperator (KeystoneService and "
            + "KeystoneEndpoint objects, owned by the GlanceAPI).")
    public String method;

    @JsonPropertyDescription("Id of the image service in Keystone.")
    public String serviceId;

    @JsonPropertyDescription("Whether the operator created the service (and so deletes it); false when it found one of that "
            + "name and added its endpoints to it.")
    public Boolean serviceCreated;

    @JsonPropertyDescription("Keystone region of the endpoints.")
    public String region;

    @JsonPropertyDescription("Ids of the endpoints the operator created, by interface (public, internal).")
    public Map<String, String> endpointIds;

    public KeystoneRegistrationStatus() {
    }

    public KeystoneRegistrationStatus(String method, String serviceId, Boolean serviceCreated, String region,
            Map<String, String> endpointIds) {
        this.method = method;
        this.serviceId = serviceId;
        this.serviceCreated = serviceCreated;
        this.region = region;
        this.endpointIds = endpointIds == null ? null : new TreeMap<>(endpointIds);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeystoneRegistrationStatus s && Objects.equals(method, s.method) && Objects.equals(serviceId, s.serviceId)
                && Objects.equals(serviceCreated, s.serviceCreated) && Objects.equals(region, s.region)
                && Objects.equals(endpointIds, s.endpointIds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, serviceId, serviceCreated, region, endpointIds);
    }
}
