package org.openstack.glanceimport.api.networks;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One glance-api pod's addresses on the networks spec.networkAttachments attaches, as Multus reported them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodNetworkAddresses {

    @JsonPropertyDescription("The glance-api pod.")
    public String pod;

    @JsonPropertyDescription("The attached networks (not the pod network), from the pod's k8s.v1.cni.cncf.io/network-status "
            + "annotation.")
    public List<AttachedNetwork> networks = new ArrayList<>();

    @JsonPropertyDescription("Why the networks are unknown: Multus has not reported them yet, or its annotation could not "
            + "be read.")
    public String message;

    public PodNetworkAddresses() {
    }

    public PodNetworkAddresses(String pod, List<AttachedNetwork> networks, String message) {
        this.pod = pod;
        this.networks = networks;
        this.message = message;
    }
}
