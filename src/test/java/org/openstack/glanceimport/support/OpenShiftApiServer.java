package org.openstack.glanceimport.support;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.quarkus.test.kubernetes.client.KubernetesServer;

/**
 * The tests' API server as OpenShift would look to discovery: it serves security.openshift.io/v1
 * securitycontextconstraints and route.openshift.io/v1 routes (registered as CRDs, which the mock's discovery lists like
 * built-in APIs).
 */
public class OpenShiftApiServer extends RecordingApiServer {

    @Override
    public void accept(KubernetesServer server) {
        super.accept(server);
        serve(server, "security.openshift.io", "Cluster", "SecurityContextConstraints", "securitycontextconstraints");
        serve(server, "route.openshift.io", "Namespaced", "Route", "routes");
    }

    private static void serve(KubernetesServer server, String group, String scope, String kind, String plural) {
        server.getClient().apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(plural + "." + group).endMetadata()
                .withNewSpec().withGroup(group).withScope(scope)
                .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase()).endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true)
                .withNewSubresources().withNewStatus().endStatus().endSubresources()
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema().endVersion()
                .endSpec().build()).create();
    }
}
