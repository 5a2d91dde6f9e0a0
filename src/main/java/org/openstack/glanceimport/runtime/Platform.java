package org.openstack.glanceimport.runtime;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Singleton;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * What the cluster is, by API discovery, asked once: an API server that serves security.openshift.io's
 * SecurityContextConstraints admits pods by SCC (OpenShift), and the GlanceAPIs' pods then need a ServiceAccount allowed
 * one that admits their fixed glance uid. One that serves route.openshift.io's Routes can publish the API through a
 * Route (spec.route). Nothing OpenShift-specific is created elsewhere. One that serves k8s.cni.cncf.io's
 * NetworkAttachmentDefinitions has Multus, which alone honours a pod's network attachments.
 */
@Singleton
public class Platform {

    static final String SCC_GROUP_VERSION = "security.openshift.io/v1";
    static final String SCC_RESOURCE = "securitycontextconstraints";
    static final String ROUTE_GROUP_VERSION = "route.openshift.io/v1";
    static final String ROUTE_RESOURCE = "routes";
    public static final String NAD_GROUP_VERSION = "k8s.cni.cncf.io/v1";
    public static final String NAD_RESOURCE = "network-attachment-definitions";
    static final String KEYSTONE_GROUP_VERSION = "keystone.openstack.org/v1beta1";
    static final String KEYSTONE_SERVICE_RESOURCE = "keystoneservices";
    static final Duration KEYSTONE_OPERATOR_RECHECK = Duration.ofMinutes(5);

    private final KubernetesClient client;
    private volatile Boolean sccAdmission;
    private volatile Boolean routes;
    private volatile boolean multus;
    private volatile Instant keystoneOperatorAsked = Instant.EPOCH;
    private volatile boolean keystoneOperator;

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

    /**
     * Whether Multus is installed. Asked only for GlanceAPIs that request network attachments; a yes is kept for good,
     * a no is asked again at the next such reconcile (while the GlanceAPI waits for it, every few seconds), so installing
     * Multus later needs no operator restart.
     */
    public boolean servesNetworkAttachmentDefinitions() {
        if (!multus) {
            multus = serves(NAD_GROUP_VERSION, NAD_RESOURCE);
        }
        return multus;
    }

    /**
     * Whether keystone-operator's KeystoneService is served. Asked only for GlanceAPIs registering with method Auto, at most
     * every few minutes, so that installing keystone-operator later needs no restart and a busy GlanceAPI sends no
     * discovery request per reconcile.
     */
    public boolean servesKeystoneOperator() {
        if (Instant.now().isAfter(keystoneOperatorAsked.plus(KEYSTONE_OPERATOR_RECHECK))) {
            keystoneOperator = serves(KEYSTONE_GROUP_VERSION, KEYSTONE_SERVICE_RESOURCE);
            keystoneOperatorAsked = Instant.now();
        }
        return keystoneOperator;
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
