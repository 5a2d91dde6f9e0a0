package org.openstack.glanceimport.api.keystone;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

import org.openstack.glanceimport.api.stores.Store;

/** The image service and its endpoints in Keystone's catalogue, registered by the operator when enabled. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeystoneRegistration {

    public static final String DEFAULT_REGION = "RegionOne";
    public static final String DEFAULT_SERVICE_NAME = "glance";
    public static final String DEFAULT_DESCRIPTION = "OpenStack Image";

    @JsonPropertyDescription("Register the image service and its public and internal endpoints (status.endpoints); "
            + "false (the default) leaves Keystone alone, and turning it off removes what the operator registered.")
    @Default("false")
    public Boolean enabled = false;

    @JsonPropertyDescription("How: Auto (keystone-operator's KeystoneService/KeystoneEndpoint objects where the cluster "
            + "serves keystone.openstack.org/v1beta1, else Keystone's v3 API), KeystoneAPI or KeystoneOperator.")
    @Default("Auto")
    public RegistrationMethod method = RegistrationMethod.Auto;

    @JsonPropertyDescription("Keystone region of the endpoints (Keystone's v3 API only; keystone-operator uses its own).")
    @Default(DEFAULT_REGION)
    @Size(min = 1, max = 255)
    @Pattern("^[^\\s/]+$")
    public String region = DEFAULT_REGION;

    @JsonPropertyDescription("Name of the image service in the catalogue.")
    @Default(DEFAULT_SERVICE_NAME)
    @Size(min = 1, max = 255)
    @Pattern("^[^\\s]+$")
    public String serviceName = DEFAULT_SERVICE_NAME;

    @JsonPropertyDescription("Description of the image service.")
    @Default(DEFAULT_DESCRIPTION)
    @Size(max = 255)
    @Pattern("^[^\\n\\r]*$")
    public String serviceDescription = DEFAULT_DESCRIPTION;

    @JsonPropertyDescription("Secret with the credentials the operator registers with (Keystone's v3 API): keys as in "
            + "keystoneSecret (auth_url, username, password, optional project_name, user_domain_name, project_domain_name), "
            + "plus optional system_scope: all for a system-scoped token and ca.crt for an https Keystone. The user needs the "
            + "admin role. Default: keystoneSecret (the glance user, admin on its project, is enough where Keystone does not "
            + "enforce system scope).")
    @Size(min = 1, max = 253)
    @Pattern(Store.DNS_NAME)
    public String adminSecret;

    @JsonIgnore
    public boolean on() {
        return Boolean.TRUE.equals(enabled);
    }

    @JsonIgnore
    public String regionOrDefault() {
        return region == null ? DEFAULT_REGION : region;
    }

    @JsonIgnore
    public String serviceNameOrDefault() {
        return serviceName == null ? DEFAULT_SERVICE_NAME : serviceName;
    }

    @JsonIgnore
    public String descriptionOrDefault() {
        return serviceDescription == null ? DEFAULT_DESCRIPTION : serviceDescription;
    }

    @JsonIgnore
    public RegistrationMethod methodOrDefault() {
        return method == null ? RegistrationMethod.Auto : method;
    }
}
