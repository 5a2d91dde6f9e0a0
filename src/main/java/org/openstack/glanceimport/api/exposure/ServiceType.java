package org.openstack.glanceimport.api.exposure;

/** How the Service is reached: the Kubernetes Service types the API may be published with. */
public enum ServiceType {
    ClusterIP, LoadBalancer, NodePort
}
