package org.openstack.glanceimport.runtime;

import jakarta.inject.Singleton;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * What the cluster is, by API discovery, asked once: an API server that serves security.openshift.io's
 * SecurityContextConstraints admits pods by SCC (OpenShift), and the GlanceAPIs' pods then need a ServiceAccount allowed
 * one that admits their fixed glance uid. One that serves route.openshift.io's Routes can publish the API through a
 * Route (spec.route). Nothing OpenShift-specific is created elsewhere.
 */
@Singleton
public class Platform {

    static final String SCC_GROUP_VERSION = "security.openshift.io/v1";
    static final String SCC_RESOURCE = "securitycontextconstraints";
    static final String ROUTE_GROUP_VERSION = "route.openshift.io/v1";
    static final String ROUTE_RESOURCE = "routes";

    private final KubernetesClient client;
    private volatile Boolean sccAdmission;
    private volatile Boolean routes;

    public Platform(KubernetesClient client) {
        this.client = client;
    }

    public boolean admitsPodsBySecurityContextConstraints() {
        Boolean known = sccAdmission;
        if (known == null) {
            known = serves(SCC_GROUP_VERSION, SCC_RESOURCE);
            sccAdmission = known;
        }
        return known;
    }

    public boolean servesRoutes() {
        Boolean known = routes;
        if (known == null) {
            known = serves(ROUTE_GROUP_VERSION, ROUTE_RESOURCE);
            routes = known;
        }
        return known;
    }

    private boolean serves(String groupVersion, String resource) {
        try {
            APIResourceList resources = client.getApiResources(groupVersion);
            return resources != null && resources.getResources() != null
                    && resources.getResources().stream().anyMatch(r -> resource.equals(r.getName()));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }
}
