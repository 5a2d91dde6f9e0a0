package org.openstack.glanceimport.api.exposure;

/** Where a Route ends TLS: at the router (edge, plain http to the pods: without spec.tls), at the pods (passthrough), or at the router and again to the pods (reencrypt). */
public enum RouteTermination {
    edge, passthrough, reencrypt
}
