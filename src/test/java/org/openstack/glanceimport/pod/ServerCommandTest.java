package org.openstack.glanceimport.pod;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.ApiServer;
import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.Tls;
import org.openstack.glanceimport.config.RenderedConfig;
import org.openstack.glanceimport.config.WsgiFiles;

class ServerCommandTest {

    private static final RenderedConfig RENDERED = new RenderedConfig(null, Map.of("00-glance-api.conf", "", "glance-api.conf", "",
            "glance-api.wsgi", ""), Map.of("30-secrets.conf", "", "s3.ca.crt", ""), "hash", "image", "db", null);

    private static List<String> command(ServerCommand command) {
        List<String> all = new java.util.ArrayList<>(List.of(command.program()));
        all.addAll(command.args());
        return all;
    }

    private static Map<String, String> env(ServerCommand command) {
        Map<String, String> env = new TreeMap<>();
        command.env().forEach(e -> env.put(e.getName(), e.getValue()));
        return env;
    }

    @Test
    void httpdByDefaultReadingItsFileAndGlanceItsDirectory() {
        ServerCommand httpd = ServerCommand.of(new GlanceAPISpec(), RENDERED);
        assertEquals(List.of("httpd", "-DFOREGROUND", "-f", "/etc/glance/glance.conf.d/httpd.cfg"), command(httpd));
        assertEquals(Map.of("OS_GLANCE_CONFIG_DIR", "/etc/glance/glance.conf.d"), env(httpd),
                "under WSGI Glance ignores any command line; no bind_host: the server binds");
        String conf = WsgiFiles.render(new GlanceAPISpec()).get("httpd.cfg");
        assertTrue(conf.contains("\nListen ${POD_IP}:9292\n"), conf);
        assertTrue(conf.contains("\nWSGIScriptAlias / /etc/glance/glance.conf.d/glance-api.wsgi process-group=glance-api "
                + "application-group=%{GLOBAL}\n"), conf);
        assertTrue(conf.contains("\nLogFormat \"%h %l %u %t \\\"%r\\\" %>s %b %D\" glance\n"), conf);
        assertTrue(conf.contains("\nWSGIChunkedRequest On\n"), "glanceclient uploads in chunks");
    }

    @Test
    void uwsgiStopsOnSigtermWithinTheGracePeriod() {
        GlanceAPISpec spec = new GlanceAPISpec();
        spec.apiServer = ApiServer.uwsgi;
        spec.workers = 3;
        ServerCommand uwsgi = ServerCommand.of(spec, RENDERED);
        List<String> command = command(uwsgi);
        assertEquals(List.of("uwsgi", "--plugins", "python3", "--http-socket", "$(POD_IP):9292", "--wsgi-file",
                "/etc/glance/glance.conf.d/glance-api.wsgi"), command.subList(0, 7));
        assertEquals("3", command.get(command.indexOf("--processes") + 1));
        assertTrue(command.contains("--die-on-term"), "without it SIGTERM reloads uWSGI");
        assertTrue(command.contains("--need-app"), "a configuration Glance refuses ends the container");
        int mercy = Integer.parseInt(command.get(command.indexOf("--worker-reload-mercy") + 1));
        assertTrue(mercy < ImportDrain.SHUTDOWN_SECONDS, "SIGTERM comes after the drain, with SHUTDOWN_SECONDS of the grace period left");
        assertEquals("16777216", command.get(command.indexOf("--chunked-input-limit") + 1), "chunks of 1 MiB or more were refused");
        assertEquals(Map.of("OS_GLANCE_CONFIG_DIR", "/etc/glance/glance.conf.d"), env(uwsgi));
        assertTrue(WsgiFiles.render(spec).keySet().equals(java.util.Set.of("glance-api.conf", "glance-api.wsgi")), "no httpd.cfg");
        assertEquals(java.util.Set.of("glance-api.conf"), WsgiFiles.render(new GlanceAPISpec()).keySet().stream()
                .filter(f -> f.endsWith(".conf")).collect(java.util.stream.Collectors.toSet()),
                "Glance under WSGI parses every *.conf of its directory as its own configuration");
    }

    @Test
    void eventletKeepsItsCommandLineAndBindsThePodOrItsLoopback() {
        GlanceAPISpec spec = new GlanceAPISpec();
        spec.apiServer = ApiServer.eventlet;
        ServerCommand eventlet = ServerCommand.of(spec, RENDERED);
        assertEquals(List.of("glance-api", "--config-file", "/etc/glance/glance.conf.d/00-glance-api.conf", "--config-file",
                "/etc/glance/glance.conf.d/30-secrets.conf"), command(eventlet), "only NN-*.conf files are Glance configuration");
        assertEquals(Map.of("OS_DEFAULT__BIND_HOST", "$(POD_IP)"), env(eventlet));
        spec.tls = new Tls();
        spec.tls.secretName = "cert";
        assertEquals(Map.of("OS_DEFAULT__BIND_HOST", "localhost"), env(ServerCommand.of(spec, RENDERED)));
        assertTrue(WsgiFiles.render(spec).isEmpty(), "nothing new in the ConfigMap: an eventlet GlanceAPI does not roll on upgrade");
    }

    @Test
    void behindTheTlsProxyBothWsgiServersListenOnTheLoopback() {
        GlanceAPISpec spec = new GlanceAPISpec();
        spec.tls = new Tls();
        spec.tls.secretName = "cert";
        assertTrue(WsgiFiles.render(spec).get("httpd.cfg").contains("\nListen localhost:19292\n"));
        spec.apiServer = ApiServer.uwsgi;
        List<String> command = command(ServerCommand.of(spec, RENDERED));
        assertEquals("localhost:19292", command.get(command.indexOf("--http-socket") + 1));
    }
}
