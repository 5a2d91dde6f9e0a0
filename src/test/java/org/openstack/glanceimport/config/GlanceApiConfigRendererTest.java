package org.openstack.glanceimport.config;

import java.util.List;

import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.BackendType;
import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.GlanceImportStagingSpec;
import org.openstack.glanceimport.api.RbdBackend;
import org.openstack.glanceimport.api.Store;
import org.openstack.glanceimport.api.Tls;
import org.openstack.glanceimport.api.imagecache.ImageCache;

class GlanceApiConfigRendererTest {

    private static Store rbd(String name, String pool) {
        Store store = new Store(name, BackendType.rbd);
        store.rbd = new RbdBackend();
        store.rbd.secretName = "ceph";
        store.rbd.pool = pool;
        return store;
    }

    private static String value(Ini ini, String section, String key) {
        return ini.get(section, key).orElseThrow(() -> new AssertionError("no [" + section + "] " + key));
    }

    @Test
    void withoutStoresOneFileStoreServesAndNothingConverts() {
        GlanceAPISpec spec = new GlanceAPISpec();
        Ini ini = GlanceApiConfigRenderer.render(spec, new GlanceImportStagingSpec());
        assertEquals("file:file", value(ini, "DEFAULT", "enabled_backends"));
        assertEquals("file", value(ini, "glance_store", "default_backend"));
        assertEquals("/var/lib/glance/images/file", value(ini, "file", "filesystem_store_datadir"));
        assertEquals("9292", value(ini, "DEFAULT", "bind_port"));
        assertEquals("keystone", value(ini, "paste_deploy", "flavor"));
        assertEquals("sha256", value(ini, "DEFAULT", "hashing_algorithm"), "measured faster than Glance's sha512 on SHA-NI CPUs");
        assertFalse(ImportConfigRenderer.conversionEnabled(new GlanceImportStagingSpec(), spec.usesRbd()));
    }

    @Test
    void mixedStoresRenderASectionEachTheMarkedDefaultAndConversionForCeph() {
        GlanceAPISpec spec = new GlanceAPISpec();
        Store local = new Store("local", BackendType.file);
        Store ceph = rbd("ceph", "images");
        ceph.defaultStore = true;
        spec.stores = List.of(local, ceph, rbd("ceph-ssd", "ssd"));
        Ini ini = GlanceApiConfigRenderer.render(spec, new GlanceImportStagingSpec());
        assertEquals("local:file, ceph:rbd, ceph-ssd:rbd", value(ini, "DEFAULT", "enabled_backends"));
        assertEquals("ceph", value(ini, "glance_store", "default_backend"), "the marked store, not the first");
        assertEquals("/var/lib/glance/images/local", value(ini, "local", "filesystem_store_datadir"));
        assertEquals("ssd", value(ini, "ceph-ssd", "rbd_store_pool"));
        assertEquals("true", value(ini, "ceph", "rbd_thin_provisioning"));
        assertEquals("8", value(ini, "ceph-ssd", "rbd_store_chunk_size"));
        assertTrue(ImportConfigRenderer.conversionEnabled(new GlanceImportStagingSpec(), spec.usesRbd()),
                "Auto converts as soon as one store is Ceph: the converted image is written to every store");
        assertTrue(GlanceApiConfigRenderer.uploadsRestricted(spec, new GlanceImportStagingSpec()));
    }

    @Test
    void tlsMovesGlanceBehindTheProxyAndCacheSizesFromTheClaim() {
        GlanceAPISpec spec = new GlanceAPISpec();
        spec.port = 8443;
        spec.tls = new Tls();
        spec.tls.secretName = "cert";
        spec.imageCache = new ImageCache();
        spec.imageCache.size = new Quantity("10Gi");
        spec.imageCache.maxSizePercent = 50;
        Ini ini = GlanceApiConfigRenderer.render(spec, new GlanceImportStagingSpec());
        assertEquals("19292", value(ini, "DEFAULT", "bind_port"));
        assertEquals("true", value(ini, "oslo_middleware", "enable_proxy_headers_parsing"));
        assertEquals(Long.toString(5L * 1024 * 1024 * 1024), value(ini, "DEFAULT", "image_cache_max_size"));
        assertEquals("keystone+cachemanagement", value(ini, "paste_deploy", "flavor"));
        String haproxy = TlsProxyConfigRenderer.render(spec.port);
        assertTrue(haproxy.contains("bind \"${POD_IP}:8443\" ssl crt /etc/glance/tls-proxy/tls.crt"), haproxy);
    }
}
