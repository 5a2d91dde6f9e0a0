package org.openstack.glanceimport.config;

import org.openstack.glanceimport.api.GlanceAPISpec;

/**
 * Renders haproxy.cfg for the TLS proxy container: TLS on the pod IP and the API port, plain HTTP to glance-api on the
 * pod's loopback. haproxy expands "${POD_IP}" from the container's environment, so one file serves every pod.
 */
public final class TlsProxyConfigRenderer {

    private TlsProxyConfigRenderer() {
    }

    public static String render(int port) {
        return """
                global
                    log stdout format raw local0 info
                    maxconn 4096
                    ssl-default-bind-options ssl-min-ver TLSv1.2

                defaults
                    mode http
                    log global
                    option httplog
                    option forwardfor
                    timeout connect 5s
                    # image uploads and downloads stream for minutes; these bound idle time only
                    timeout client 300s
                    timeout server 300s
                    timeout http-request 60s

                frontend glance-https
                    bind "${POD_IP}:%d" ssl crt %s/tls.crt
                    http-request set-header X-Forwarded-Proto https
                    default_backend glance-api

                backend glance-api
                    server glance-api localhost:%d
                """.formatted(port, GlancePaths.TLS_PROXY_DIR, GlanceAPISpec.TLS_BACKEND_PORT);
    }
}
