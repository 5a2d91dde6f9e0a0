package org.openstack.glanceimport.api.stores;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

public class RbdBackend {

    @JsonPropertyDescription("Secret with keys ceph.conf (must name mon_host) and keyring (the key of client.<user>). Stores "
            + "naming different Secrets reach different Ceph clusters; the stores naming one Secret share its ceph.conf and keyring.")
    @Required
    @Size(min = 1, max = 253)
    @Pattern(Store.DNS_NAME)
    public String secretName;

    @JsonPropertyDescription("RBD pool images are stored in.")
    @Default("images")
    @Pattern("^[A-Za-z0-9_.-]{1,64}$")
    public String pool = "images";

    @JsonPropertyDescription("Ceph client name without the client. prefix.")
    @Default("glance")
    @Pattern("^[A-Za-z0-9_.-]{1,64}$")
    public String user = "glance";
}
