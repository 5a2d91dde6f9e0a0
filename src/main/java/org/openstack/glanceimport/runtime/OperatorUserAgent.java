package org.openstack.glanceimport.runtime;

import jakarta.inject.Singleton;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.kubernetes.client.KubernetesConfigCustomizer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Names the operator in every request it sends ("glance-import-operator/0.1.0 (pod name)"): audit logs then say which
 * operator pod wrote an object, and the tests tell the operator's requests from their own (the RBAC the operator ships
 * is checked against the former).
 */
@Singleton
public class OperatorUserAgent implements KubernetesConfigCustomizer {

    public static final String PRODUCT = "glance-import-operator";

    private final String version;

    public OperatorUserAgent(@ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.version = version;
    }

    public static String of(String version, String hostname) {
        return PRODUCT + "/" + version + (hostname == null || hostname.isBlank() ? "" : " (" + hostname + ")");
    }

    @Override
    public void customize(Config config) {
        config.setUserAgent(of(version, System.getenv("HOSTNAME")));
    }
}
