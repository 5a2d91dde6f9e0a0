package org.openstack.glanceimport.support;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.quarkus.test.kubernetes.client.KubernetesServer;

/**
 * The tests' API server as OpenShift would look to discovery: it serves security.openshift.io/v1
 * securitycontextconstraints (registered as a CRD, which the mock's discovery lists like a built-in API).
 */
public class OpenShiftApiServer extends RecordingApiServer {

    @Override
    public void accept(KubernetesServer server) {
        super.accept(server);
        server.getClient().apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("securitycontextconstraints.security.openshift.io").endMetadata()
                .withNewSpec().withGroup("security.openshift.io").withScope("Cluster")
                .withNewNames().withKind("SecurityContextConstraints").withPlural("securitycontextconstraints")
                .withSingular("securitycontextconstraints").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema().endVersion()
                .endSpec().build()).create();
    }
}
