package org.openstack.glanceimport.api.exposure;

/** The Service's externalTrafficPolicy: Local keeps the client's source address and sends traffic only to nodes with a pod. */
public enum ExternalTrafficPolicy {
    Cluster, Local
}
