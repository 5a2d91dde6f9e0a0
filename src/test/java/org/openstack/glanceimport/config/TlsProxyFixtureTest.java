package org.openstack.glanceimport.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.openstack.glanceimport.api.GlanceAPISpec;

/**
 * The e2e harness's hand-made glance-tls List (e2e/fixtures/tls_multistore.py, written out by make_fixture.py as
 * glance-tls-multistore.template.json; e2e/selftest.sh runs the harness on it) carries a copy of the TLS proxy's
 * haproxy.cfg. `make e2e` runs the operator's own rendering, so only this keeps the copy from drifting: both the Python
 * source and the generated template must hold exactly what {@link TlsProxyConfigRenderer} renders.
 */
class TlsProxyFixtureTest {

    static final Path SOURCE = Path.of("e2e/fixtures/tls_multistore.py");
    static final Path TEMPLATE = Path.of("e2e/fixtures/glance-tls-multistore.template.json");
    /** make_fixture.py's default --port, which the checked-in template was written with. */
    static final int PORT = 9292;

    /** The fixture's proxy is a GlanceAPI's with every default (apiTimeout among them). */
    private static GlanceAPISpec defaults() {
        GlanceAPISpec spec = new GlanceAPISpec();
        spec.port = PORT;
        return spec;
    }

    @Test
    void theFixturesHaproxyCfgIsTheRenderedOne() throws IOException {
        String source = Files.readString(SOURCE);
        Matcher cfg = Pattern.compile("(?s)\nHAPROXY_CFG = \"\"\"(.*?)\"\"\"").matcher(source);
        Matcher backend = Pattern.compile("(?m)^BACKEND_PORT = (\\d+)$").matcher(source);
        if (!cfg.find() || !backend.find()) {
            throw new AssertionError(SOURCE + " has no HAPROXY_CFG = \"\"\"...\"\"\" or BACKEND_PORT = <n>: update this test with it");
        }
        // as make_fixture.py fills it in: HAPROXY_CFG % {'port': port, 'backend': BACKEND_PORT}
        String filled = cfg.group(1).replace("%(port)d", Integer.toString(PORT)).replace("%(backend)d", backend.group(1))
                .replace("%%", "%");
        assertEquals(TlsProxyConfigRenderer.render(defaults()), filled, SOURCE + " (HAPROXY_CFG) differs from what the operator renders");
    }

    @Test
    void theGeneratedTemplateHoldsTheRenderedOne() throws IOException {
        JsonNode list = new ObjectMapper().readTree(Files.readString(TEMPLATE));
        String inTemplate = null;
        for (JsonNode item : list.path("items")) {
            if ("ConfigMap".equals(item.path("kind").asText()) && item.path("data").has("haproxy.cfg")) {
                inTemplate = item.path("data").path("haproxy.cfg").asText();
            }
        }
        if (inTemplate == null) {
            throw new AssertionError(TEMPLATE + " has no ConfigMap with haproxy.cfg");
        }
        assertEquals(TlsProxyConfigRenderer.render(defaults()), inTemplate,
                TEMPLATE + " differs from what the operator renders: python3 e2e/fixtures/make_fixture.py --tls-multistore");
    }
}
