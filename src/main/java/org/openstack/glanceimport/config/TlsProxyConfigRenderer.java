package org.openstack.glanceimport.config;

import org.openstack.glanceimport.api.GlanceAPISpec;

/**
 * Renders haproxy.cfg for the TLS proxy container: TLS on the pod IP and the API port, plain HTTP to glance-api on the
 * pod's loopback. haproxy expands "${POD_IP}" from the container's environment, so one file serves every pod.
 */
public final class TlsProxyConfigRenderer {

    private TlsProxyConfigRenderer() {
    }

    /** Headers must arrive within this, or the API timeout when lower: a client that never sends them holds a slot. */
    static final int HEADERS_SECONDS = 60;

    public static String render(GlanceAPISpec spec) {
        int timeout = spec.apiTimeoutOrDefault();
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
                    timeout client %2$ds
                    timeout server %2$ds
                    timeout http-request %3$ds

                frontend glance-https
                    bind "${POD_IP}:%1$d" ssl crt %4$s/tls.crt
                    http-request set-header X-Forwarded-Proto https
                    default_backend glance-api

                backend glance-api
                    server glance-api localhost:%5$d
                """.formatted(spec.port, timeout, Math.min(HEADERS_SECONDS, timeout), GlancePaths.TLS_PROXY_DIR,
                GlanceAPISpec.TLS_BACKEND_PORT);
    }
}
