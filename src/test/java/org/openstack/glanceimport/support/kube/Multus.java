package org.openstack.glanceimport.support.kube;

import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;

/**
 * What Multus brings to a cluster, as far as the operator sees it: its NetworkAttachmentDefinition CRD (k8s.cni.cncf.io/v1,
 * the schema Multus's own manifests install) and definitions of that kind. There is no Multus where these tests run:
 * they install its CRD and write the annotations Multus would write on a pod.
 */
public final class Multus {

    public static final String CRD_NAME = "network-attachment-definitions.k8s.cni.cncf.io";

    private Multus() {
    }

    public static CustomResourceDefinition crd() {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(CRD_NAME).endMetadata()
                .withNewSpec().withGroup("k8s.cni.cncf.io").withScope("Namespaced")
                .withNewNames().withKind("NetworkAttachmentDefinition").withPlural("network-attachment-definitions")
                .withSingular("network-attachment-definition").withShortNames("net-attach-def").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                .withDescription("NetworkAttachmentDefinition is a CRD schema specified by the Network Plumbing Working Group "
                        + "to express the intent for attaching pods to one or more logical or physical networks.")
                .addToProperties("apiVersion", new JSONSchemaPropsBuilder().withType("string").build())
                .addToProperties("kind", new JSONSchemaPropsBuilder().withType("string").build())
                .addToProperties("metadata", new JSONSchemaPropsBuilder().withType("object").build())
                .addToProperties("spec", new JSONSchemaPropsBuilder().withType("object")
                        .addToProperties("config", new JSONSchemaPropsBuilder().withType("string").build()).build())
                .endOpenAPIV3Schema().endSchema().endVersion()
                .endSpec().build();
    }

    /** A macvlan storage network with static addresses from whereabouts, as a storage network is often defined. */
    public static GenericKubernetesResource storageNetwork(String namespace, String name) {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion("k8s.cni.cncf.io/v1").withKind("NetworkAttachmentDefinition")
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("config", "{\"cniVersion\":\"0.3.1\",\"name\":\"" + name
                        + "\",\"type\":\"macvlan\",\"master\":\"enp7s0\",\"mode\":\"bridge\",\"ipam\":{\"type\":\"whereabouts\","
                        + "\"range\":\"172.18.0.30-172.18.0.70/24\"}}")))
                .build();
    }

    /**
     * The k8s.v1.cni.cncf.io/network-status annotation Multus writes on a pod once its interfaces exist: the pod
     * network's entry (default) and one per attachment, as in a real OpenShift cluster.
     */
    public static String networkStatus(String podIp, String attachment, String storageIp) {
        return "[{\"name\":\"ovn-kubernetes\",\"interface\":\"eth0\",\"ips\":[\"" + podIp + "\"],\"mac\":\"0a:58:0a:80:00:0c\","
                + "\"default\":true,\"dns\":{}},{\"name\":\"" + attachment + "\",\"interface\":\"net1\",\"ips\":[\"" + storageIp
                + "\"],\"mac\":\"52:8e:1b:01:6b:4f\",\"dns\":{}}]";
    }
}
