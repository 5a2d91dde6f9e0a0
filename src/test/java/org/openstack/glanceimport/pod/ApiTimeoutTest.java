package org.openstack.glanceimport.pod;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.ApiServer;
import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.GlanceImportStagingSpec;
import org.openstack.glanceimport.api.Tls;
import org.openstack.glanceimport.config.GlanceApiConfigRenderer;
import org.openstack.glanceimport.config.RenderedConfig;
import org.openstack.glanceimport.config.TlsProxyConfigRenderer;
import org.openstack.glanceimport.config.WsgiFiles;

/** spec.apiTimeout reaches every hop a request crosses: the TLS proxy, and whichever server runs Glance. */
class ApiTimeoutTest {

    private static final RenderedConfig RENDERED = new RenderedConfig(null, Map.of("00-glance-api.conf", ""), Map.of(), "hash",
            "image", "db", null);

    private static GlanceAPISpec spec(ApiServer server, Integer timeout) {
        GlanceAPISpec spec = new GlanceAPISpec();
        spec.apiServer = server;
        spec.apiTimeout = timeout;
        spec.tls = new Tls();
        spec.tls.secretName = "cert";
        return spec;
    }

    @Test
    void theProxyCutsSilenceAfterTheApiTimeoutAndHeadersAfterAMinuteAtMost() {
        String raised = TlsProxyConfigRenderer.render(spec(ApiServer.httpd, 1800));
        assertTrue(raised.contains("\n    timeout client 1800s\n    timeout server 1800s\n    timeout http-request 60s\n"), raised);
        String lowered = TlsProxyConfigRenderer.render(spec(ApiServer.httpd, 20));
        assertTrue(lowered.contains("\n    timeout client 20s\n    timeout server 20s\n    timeout http-request 20s\n"), lowered);
        String unset = TlsProxyConfigRenderer.render(spec(ApiServer.httpd, null));
        assertTrue(unset.contains("\n    timeout client 300s\n    timeout server 300s\n    timeout http-request 60s\n"),
                "the values before apiTimeout existed: " + unset);
    }

    @Test
    void httpdAndItsDaemonsWaitAsLong() {
        String conf = WsgiFiles.render(spec(ApiServer.httpd, 1800)).get("httpd.cfg");
        assertTrue(conf.contains("\nTimeout 1800\n"), conf);
        assertTrue(conf.contains(" socket-timeout=1800\n"), "mod_wsgi's daemon socket, else it keeps httpd's default: " + conf);
    }

    @Test
    void uwsgiReadsBodiesAsLong() {
        List<String> args = ServerCommand.of(spec(ApiServer.uwsgi, 1800), RENDERED).args();
        assertEquals("1800", args.get(args.indexOf("--socket-timeout") + 1));
    }

    @Test
    void eventletGetsItAsClientSocketTimeout() {
        String ini = GlanceApiConfigRenderer.render(spec(ApiServer.eventlet, 1800), new GlanceImportStagingSpec()).render();
        assertTrue(ini.contains("client_socket_timeout = 1800"), ini);
        String wsgi = GlanceApiConfigRenderer.render(spec(ApiServer.httpd, 1800), new GlanceImportStagingSpec()).render();
        assertTrue(!wsgi.contains("client_socket_timeout"), "an eventlet option, unknown to Glance under WSGI: " + wsgi);
    }
}
