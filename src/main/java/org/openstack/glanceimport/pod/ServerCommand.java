package org.openstack.glanceimport.pod;

import java.util.List;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;

import org.openstack.glanceimport.api.ApiServer;
import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.config.GlancePaths;
import org.openstack.glanceimport.config.RenderedConfig;
import org.openstack.glanceimport.config.WsgiFiles;
import org.openstack.glanceimport.config.Workers;

/** How the glance-api container starts under each spec.apiServer: its command, and what the environment adds. */
public record ServerCommand(String program, List<String> args, List<EnvVar> env) {

    /** The kubelet expands it in args and env values from the container's environment. */
    private static final String POD_IP = "$(POD_IP)";

    public static ServerCommand of(GlanceAPISpec spec, RenderedConfig rendered) {
        ApiServer server = spec.apiServerOrDefault();
        return switch (server) {
            case httpd -> new ServerCommand(program(server), List.of("-DFOREGROUND", "-f", GlancePaths.configFile(GlancePaths.HTTPD_CONF)),
                    List.of(configDir()));
            case uwsgi -> new ServerCommand(program(server), uwsgiArgs(spec), List.of(configDir()));
            // behind the TLS proxy, plain HTTP must not leave the pod
            case eventlet -> new ServerCommand(program(server), GlancePod.configFileArgs(rendered), List.of(new EnvVarBuilder()
                    .withName("OS_DEFAULT__BIND_HOST").withValue(spec.tlsEnabled() ? "localhost" : POD_IP).build()));
        };
    }

    /** The container's command: what the image must carry for that server. */
    public static String program(ApiServer server) {
        return switch (server) {
            case httpd -> "httpd";
            case uwsgi -> "uwsgi";
            case eventlet -> "glance-api";
        };
    }

    /** Under WSGI Glance reads no command line: its files come from this directory. */
    private static EnvVar configDir() {
        return new EnvVarBuilder().withName("OS_GLANCE_CONFIG_DIR").withValue(GlancePaths.CONFIG_DIR).build();
    }

    /**
     * The HTTP parser in each worker (--http-socket), not uWSGI's router. --die-on-term: SIGTERM stops (without it uWSGI
     * reloads), its workers given the mercy to finish their requests. --need-app: a configuration Glance refuses ends the
     * container instead of answering 500. Chunks of uploads may be up to 16 MiB. --socket-timeout bounds a silent client
     * while its body is read (spec.apiTimeout).
     */
    static List<String> uwsgiArgs(GlanceAPISpec spec) {
        String mercy = Integer.toString(WsgiFiles.SHUTDOWN_MERCY_SECONDS);
        return List.of("--plugins", "python3",
                "--http-socket", WsgiFiles.listenAddress(spec, POD_IP),
                "--wsgi-file", GlancePaths.configFile(GlancePaths.WSGI_ENTRY_POINT),
                "--master", "--processes", Integer.toString(Workers.of(spec)), "--threads", Integer.toString(WsgiFiles.REQUEST_THREADS),
                "--enable-threads", "--lazy-apps", "--need-app", "--die-on-term", "--thunder-lock",
                "--worker-reload-mercy", mercy, "--reload-mercy", mercy,
                "--buffer-size", "65535", "--chunked-input-limit", "16777216", "--socket-timeout", Integer.toString(spec.apiTimeoutOrDefault()),
                "--py-sys-executable", WsgiFiles.PYTHON);
    }
}
