package org.openstack.glanceimport.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * TLS to Glance's database. A Secret of its own, beside databaseSecret: the CA usually comes from cert-manager or the
 * database operator and is renewed on its own schedule, while the credentials come from whoever made the database user.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseTls {

    @JsonPropertyDescription("Secret whose key ca.crt holds the CA bundle the database's server certificate is verified "
            + "with (e.g. a cert-manager Secret). Glance (PyMySQL), the db-sync and purge Jobs and the operator's own "
            + "connections then use TLS and check the certificate and that it names the host of databaseSecret. A change "
            + "rolls the pods.")
    @Required
    @Size(min = 1, max = 253)
    @Pattern(GlanceAPISpec.DNS_NAME)
    public String caSecretName;
}
