package org.openstack.glanceimport.runtime;

import jakarta.inject.Singleton;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * What the cluster is, by API discovery, asked once: an API server that serves security.openshift.io's
 * SecurityContextConstraints admits pods by SCC (OpenShift), and the GlanceAPIs' pods then need a ServiceAccount allowed
 * one that admits their fixed glance uid. Nothing OpenShift-specific is created elsewhere.
 */
@Singleton
public class Platform {

    static final String SCC_GROUP_VERSION = "security.openshift.io/v1";
    static final String SCC_RESOURCE = "securitycontextconstraints";

    private final KubernetesClient client;
    private volatile Boolean sccAdmission;

    public Platform(KubernetesClient client) {
        this.client = client;
    }

    public boolean admitsPodsBySecurityContextConstraints() {
        Boolean known = sccAdmission;
        if (known == null) {
            known = discover();
            sccAdmission = known;
        }
        return known;
    }

    private boolean discover() {
        try {
            APIResourceList resources = client.getApiResources(SCC_GROUP_VERSION);
            return resources != null && resources.getResources() != null
                    && resources.getResources().stream().anyMatch(r -> SCC_RESOURCE.equals(r.getName()));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }
}
