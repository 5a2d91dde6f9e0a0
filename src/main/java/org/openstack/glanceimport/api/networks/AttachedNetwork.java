package org.openstack.glanceimport.api.networks;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A pod's interface on one attached network. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AttachedNetwork {

    @JsonPropertyDescription("The network as Multus names it: namespace/name of its NetworkAttachmentDefinition.")
    public String name;

    // "interface", as Multus calls it: a Java keyword
    @JsonProperty("interface")
    @JsonPropertyDescription("The pod's interface on it, e.g. net1.")
    public String interfaceName;

    @JsonPropertyDescription("The pod's addresses on it.")
    public List<String> ips = new ArrayList<>();

    public AttachedNetwork() {
    }

    public AttachedNetwork(String name, String interfaceName, List<String> ips) {
        this.name = name;
        this.interfaceName = interfaceName;
        this.ips = ips;
    }
}
