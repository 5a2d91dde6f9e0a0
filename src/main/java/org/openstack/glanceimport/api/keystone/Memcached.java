package org.openstack.glanceimport.api.keystone;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The token cache: keystonemiddleware keeps validated tokens in memcached instead of asking Keystone for every request.
 * Only the servers: SASL credentials or memcache_secret_key belong in customServiceConfigSecrets (a Secret, never this
 * resource), and Glance itself has no oslo.cache ([cache]) user.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Memcached {

    /** host:port, host a DNS name or IPv4 address, or [IPv6]:port. */
    public static final String SERVER = "^(([A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)([.][A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*"
            + "|\\[[0-9A-Fa-f:.]+\\]):[0-9]{1,5}$";

    @JsonPropertyDescription("memcached servers as host:port ([IPv6]:port), rendered as [keystone_authtoken] "
            + "memcached_servers, with memcache_use_advanced_pool = true. A change rolls the pods.")
    @Required
    @Size(min = 1, max = 16)
    @ValidationRule(value = "self.all(s, self.exists_one(t, t == s))", message = "memcached.servers must not list a server twice")
    public List<@Size(min = 3, max = 260) @Pattern(SERVER) String> servers;

    public Memcached() {
    }

    public Memcached(List<String> servers) {
        this.servers = servers;
    }
}
