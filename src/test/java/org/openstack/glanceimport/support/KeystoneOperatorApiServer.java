package org.openstack.glanceimport.support;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.quarkus.test.kubernetes.client.KubernetesServer;

/** The tests' API server with keystone-operator installed: it serves keystone.openstack.org/v1beta1's two catalogue kinds. */
public class KeystoneOperatorApiServer extends RecordingApiServer {

    @Override
    public void accept(KubernetesServer server) {
        super.accept(server);
        serve(server, "KeystoneService", "keystoneservices");
        serve(server, "KeystoneEndpoint", "keystoneendpoints");
    }

    private static void serve(KubernetesServer server, String kind, String plural) {
        String group = "keystone.openstack.org";
        server.getClient().apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(plural + "." + group).endMetadata()
                .withNewSpec().withGroup(group).withScope("Namespaced")
                .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase()).endNames()
                .addNewVersion().withName("v1beta1").withServed(true).withStorage(true)
                .withNewSubresources().withNewStatus().endStatus().endSubresources()
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema().endVersion()
                .endSpec().build()).create();
    }
}
