package org.openstack.glanceimport.support;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import org.openstack.glanceimport.support.kube.AsUser;

/** A client on the same API server as the operator's, with another user agent. */
@Singleton
public class UserClientProducer {

    public static final String USER_AGENT = "glance-import-operator-tests";

    @Produces
    @Singleton
    @AsUser
    KubernetesClient userClient(Config operatorConfig, KubernetesClient operator) {
        // the operator's serialization knows the custom resource classes
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(operatorConfig).withUserAgent(USER_AGENT).build())
                .withKubernetesSerialization(operator.getKubernetesSerialization()).build();
    }

    void close(@Disposes @AsUser KubernetesClient client) {
        client.close();
    }
}
