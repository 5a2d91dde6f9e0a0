package org.openstack.glanceimport.config;

import java.util.Map;
import java.util.TreeMap;

import org.openstack.glanceimport.api.ApiServer;
import org.openstack.glanceimport.api.GlanceAPISpec;

/**
 * The files a WSGI server needs beside the Glance configuration: the application entry point, the file Glance insists on
 * reading first, and httpd's configuration. Nothing here depends on the pod: httpd expands ${POD_IP} itself.
 */
public final class WsgiFiles {

    /** Request threads per process: each upload or download holds one for its whole transfer; imports run in Glance's pool. */
    public static final int REQUEST_THREADS = 8;
    /**
     * How long a stopping server lets its processes finish the requests they serve, once the import drain has returned:
     * within the pod's grace period (importDrainSeconds + 60), leaving time to exit. Imports do not count: a uWSGI worker
     * SIGTERMed mid-import exited 1.2 s later and left it importing (Glance 30.0.0, make e2e), and httpd ends its daemons
     * within 5 s; only the import drain protects them.
     */
    public static final int SHUTDOWN_MERCY_SECONDS = 50;
    /** The interpreter qemu-img's resource limiter runs under; under a WSGI server sys.executable is the server. */
    public static final String PYTHON = "/usr/bin/python3";

    /**
     * Glance 32 and later ship glance.wsgi.api; Glance 30 and 31 only the glance-wsgi-api script, whose code is this
     * fallback. One file serves both, whatever the image. Looked up, not tried: a caught ImportError would be chained to
     * every warning Glance logs while it starts.
     */
    static final String ENTRY_POINT = """
            # glance-api as a WSGI application (written by glance-import-operator)
            from importlib.util import find_spec
            if find_spec('glance.wsgi') is not None and find_spec('glance.wsgi.api') is not None:
                from glance.wsgi.api import application
            else:
                from glance.common import wsgi_app
                application = wsgi_app.init_app()
            """;

    static final String CONFIG_FILE = """
            # Read first by glance-api under WSGI (OS_GLANCE_CONFIG_DIR); the settings are in the NN-*.conf files beside it,
            # which Glance reads after it, in order. Written by glance-import-operator.
            """;

    private WsgiFiles() {
    }

    /** File name to content, none for the eventlet server. */
    public static Map<String, String> render(GlanceAPISpec spec) {
        Map<String, String> files = new TreeMap<>();
        ApiServer server = spec.apiServerOrDefault();
        if (server.wsgi()) {
            files.put(GlancePaths.WSGI_CONFIG_FILE, CONFIG_FILE);
            files.put(GlancePaths.WSGI_ENTRY_POINT, ENTRY_POINT);
        }
        if (server == ApiServer.httpd) {
            files.put(GlancePaths.HTTPD_CONF, httpd(spec));
        }
        return files;
    }

    /** Where the server listens: the pod IP, or the pod's loopback behind the TLS proxy. */
    public static String listenAddress(GlanceAPISpec spec, String podIp) {
        return spec.tlsEnabled() ? "localhost:" + GlanceAPISpec.TLS_BACKEND_PORT : podIp + ":" + spec.port;
    }

    /**
     * httpd in the foreground as the container's user, logging to the container's output. Module paths of both layouts:
     * CentOS and RHEL (the podified images) and Debian.
     */
    static String httpd(GlanceAPISpec spec) {
        return """
                # httpd running glance-api under mod_wsgi (written by glance-import-operator)
                <IfFile /usr/lib64/httpd/modules>
                    Define MODULES /usr/lib64/httpd/modules
                    Define WSGI_MODULE mod_wsgi_python3.so
                </IfFile>
                <IfFile /usr/lib/apache2/modules>
                    Define MODULES /usr/lib/apache2/modules
                    Define WSGI_MODULE mod_wsgi.so
                </IfFile>
                LoadModule mpm_event_module ${MODULES}/mod_mpm_event.so
                LoadModule authz_core_module ${MODULES}/mod_authz_core.so
                <IfModule !unixd_module>
                    LoadModule unixd_module ${MODULES}/mod_unixd.so
                </IfModule>
                <IfModule !log_config_module>
                    LoadModule log_config_module ${MODULES}/mod_log_config.so
                </IfModule>
                LoadModule wsgi_module ${MODULES}/${WSGI_MODULE}

                Listen %1$s
                ServerName glance-api
                PidFile /tmp/httpd.pid
                DefaultRuntimeDir /tmp
                Mutex file:/tmp default
                ErrorLog /dev/stderr
                LogFormat "%%h %%l %%u %%t \\"%%r\\" %%>s %%b %%D" glance
                CustomLog /dev/stdout glance
                # images of any size, sent in chunks by glanceclient; a connection silent this long is cut (spec.apiTimeout)
                LimitRequestBody 0
                Timeout %8$d
                WSGIChunkedRequest On
                WSGIPassAuthorization On
                WSGIRestrictEmbedded On
                WSGISocketPrefix /tmp/wsgi
                WSGIDaemonProcess glance-api processes=%2$d threads=%3$d display-name=glance-api shutdown-timeout=%4$d graceful-timeout=%4$d socket-timeout=%8$d
                WSGIProcessGroup glance-api
                WSGIApplicationGroup %%{GLOBAL}
                # loaded when the daemon starts, not at the first request: a configuration Glance refuses shows at once
                WSGIScriptAlias / %5$s process-group=glance-api application-group=%%{GLOBAL}
                <Directory %6$s>
                    <Files %7$s>
                        Require all granted
                    </Files>
                </Directory>
                """.formatted(listenAddress(spec, "${POD_IP}"), Workers.of(spec), REQUEST_THREADS, SHUTDOWN_MERCY_SECONDS,
                GlancePaths.configFile(GlancePaths.WSGI_ENTRY_POINT), GlancePaths.CONFIG_DIR, GlancePaths.WSGI_ENTRY_POINT,
                spec.apiTimeoutOrDefault());
    }
}
