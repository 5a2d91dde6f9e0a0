package org.openstack.glanceimport.support;

import io.quarkus.test.kubernetes.client.KubernetesServer;

import org.openstack.glanceimport.support.kube.Multus;

/**
 * The tests' API server as a cluster with Multus looks to discovery: it serves k8s.cni.cncf.io/v1
 * network-attachment-definitions (Multus's CRD, which the mock's discovery lists like a built-in API).
 */
public class MultusApiServer extends RecordingApiServer {

    @Override
    public void accept(KubernetesServer server) {
        super.accept(server);
        server.getClient().apiextensions().v1().customResourceDefinitions().resource(Multus.crd()).create();
    }
}
