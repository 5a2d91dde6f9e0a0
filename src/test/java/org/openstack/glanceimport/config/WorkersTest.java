package org.openstack.glanceimport.config;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.ApiServer;
import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.GlanceImportStagingSpec;

class WorkersTest {

    private static GlanceAPISpec spec(String limit, String request) {
        GlanceAPISpec spec = new GlanceAPISpec();
        var resources = new ResourceRequirementsBuilder();
        if (limit != null) {
            resources.addToLimits("cpu", new Quantity(limit));
        }
        if (request != null) {
            resources.addToRequests("cpu", new Quantity(request));
        }
        spec.resources = resources.build();
        return spec;
    }

    @Test
    void derivedFromTheCpuLimitElseTheRequestRoundedUp() {
        assertEquals(1, Workers.of(new GlanceAPISpec()), "no resources: one worker, not one per node CPU");
        assertEquals(2, Workers.of(spec("2", "500m")), "the limit first");
        assertEquals(2, Workers.of(spec("1500m", null)), "rounded up");
        assertEquals(1, Workers.of(spec(null, "500m")), "else the request");
        assertEquals(3, Workers.of(spec(null, "2.5")));
        assertEquals(Workers.MAX_DERIVED, Workers.of(spec("64", null)), "a large node-sized limit is capped");
        assertEquals(1, Workers.of(spec("100m", null)), "at least one");
    }

    @Test
    void anExplicitCountWins() {
        GlanceAPISpec spec = spec("2", null);
        spec.workers = 12;
        assertEquals(12, Workers.of(spec));
    }

    @Test
    void eachServerRunsThatManyProcesses() {
        GlanceAPISpec spec = spec("4", null);
        assertTrue(WsgiFiles.render(spec).get("httpd.cfg").contains("WSGIDaemonProcess glance-api processes=4 threads=8 "));
        spec.apiServer = ApiServer.eventlet;
        String ini = GlanceApiConfigRenderer.render(spec, new GlanceImportStagingSpec()).render();
        assertTrue(ini.contains("workers = 4"), ini);
    }
}
