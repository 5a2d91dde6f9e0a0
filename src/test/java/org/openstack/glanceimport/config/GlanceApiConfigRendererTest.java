package org.openstack.glanceimport.config;

import java.util.List;

import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.ApiServer;
import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.GlanceImportStagingSpec;
import org.openstack.glanceimport.api.Tls;
import org.openstack.glanceimport.api.imagecache.ImageCache;
import org.openstack.glanceimport.api.keystone.Memcached;
import org.openstack.glanceimport.api.stores.BackendType;
import org.openstack.glanceimport.api.stores.RbdBackend;
import org.openstack.glanceimport.api.stores.Store;
import org.openstack.glanceimport.support.objectstores.StoreBuilders;
import org.openstack.glanceimport.validation.CustomConfigValidator;

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
        assertTrue(ini.get("DEFAULT", "bind_port").isEmpty(), "httpd binds, and Glance 33 no longer knows bind_port");
        assertTrue(ini.get("DEFAULT", "workers").isEmpty());
        assertEquals("/usr/bin/python3", value(ini, "wsgi", "python_interpreter"), "qemu-img's limiter, not the server's binary");
        spec.apiServer = ApiServer.eventlet;
        assertEquals("9292", value(GlanceApiConfigRenderer.render(spec, new GlanceImportStagingSpec()), "DEFAULT", "bind_port"));
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
        spec.apiServer = ApiServer.eventlet;
        Ini ini = GlanceApiConfigRenderer.render(spec, new GlanceImportStagingSpec());
        assertEquals("19292", value(ini, "DEFAULT", "bind_port"));
        spec.apiServer = ApiServer.httpd;
        assertTrue(WsgiFiles.render(spec).get("httpd.cfg").contains("\nListen localhost:19292\n"));
        assertEquals("true", value(ini, "oslo_middleware", "enable_proxy_headers_parsing"));
        assertEquals(Long.toString(5L * 1024 * 1024 * 1024), value(ini, "DEFAULT", "image_cache_max_size"));
        assertEquals("keystone+cachemanagement", value(ini, "paste_deploy", "flavor"));
        String haproxy = TlsProxyConfigRenderer.render(spec);
        assertTrue(haproxy.contains("bind \"${POD_IP}:8443\" ssl crt /etc/glance/tls-proxy/tls.crt"), haproxy);
    }

    @Test
    void oneCephSecretKeepsEtcCephAsLibradosExpectsIt() {
        GlanceAPISpec spec = new GlanceAPISpec();
        spec.stores = List.of(rbd("ceph", "images"), rbd("ceph-ssd", "ssd"));
        Ini ini = GlanceApiConfigRenderer.render(spec, new GlanceImportStagingSpec());
        assertEquals("/etc/ceph/ceph.conf", value(ini, "ceph", "rbd_store_ceph_conf"), "the layout before per-store Secrets: no roll");
        assertEquals("/etc/ceph/ceph.conf", value(ini, "ceph-ssd", "rbd_store_ceph_conf"));
    }

    @Test
    void eachCephSecretHasItsOwnDirectory() {
        GlanceAPISpec spec = new GlanceAPISpec();
        Store other = rbd("dr", "images");
        other.rbd.secretName = "ceph-dr";
        spec.stores = List.of(rbd("ceph", "images"), other, rbd("ceph-ssd", "ssd"));
        Ini ini = GlanceApiConfigRenderer.render(spec, new GlanceImportStagingSpec());
        assertEquals("/etc/ceph/ceph/ceph.conf", value(ini, "ceph", "rbd_store_ceph_conf"));
        assertEquals("/etc/ceph/ceph-dr/ceph.conf", value(ini, "dr", "rbd_store_ceph_conf"));
        assertEquals("/etc/ceph/ceph/ceph.conf", value(ini, "ceph-ssd", "rbd_store_ceph_conf"));
    }

    @Test
    void s3StoresRenderEveryDriverOptionButTheCredentials() {
        GlanceAPISpec spec = new GlanceAPISpec();
        Store store = StoreBuilders.store("objects", StoreBuilders.s3("http://127.0.0.1:7480", "glance-images", "s3-creds"));
        store.s3.bucketUrlFormat = "path";
        spec.stores = List.of(store);
        String section = GlanceApiConfigRenderer.render(spec, new GlanceImportStagingSpec()).render();
        assertTrue(section.contains("[objects]\nstore_description = S3 bucket glance-images\ns3_store_host = http://127.0.0.1:7480\n"
                + "s3_store_bucket = glance-images\ns3_store_create_bucket_on_put = true\ns3_store_bucket_url_format = path\n"
                + "s3_store_large_object_size = 100\ns3_store_large_object_chunk_size = 10\n\n"), section);
        assertTrue(section.contains("enabled_backends = objects:s3\n"), section);
        assertFalse(section.contains("s3_store_region_name"), "unset: the endpoint's default");
        assertFalse(section.contains("s3_store_access_key") || section.contains("s3_store_secret_key"), "credentials only in the Secret");
        store.s3.region = "eu-west-1";
        assertEquals("eu-west-1", value(GlanceApiConfigRenderer.render(spec, new GlanceImportStagingSpec()), "objects", "s3_store_region_name"));
    }

    @Test
    void swiftStoresReferToTheirSectionOfTheReferenceFile() {
        GlanceAPISpec spec = new GlanceAPISpec();
        Store store = StoreBuilders.store("containers", StoreBuilders.swift("http://127.0.0.1:7480/auth/1.0", "1", "glance",
                "swift-creds"));
        spec.stores = List.of(store);
        String section = GlanceApiConfigRenderer.render(spec, new GlanceImportStagingSpec()).render();
        assertTrue(section.contains("[containers]\nstore_description = Swift container glance\ndefault_swift_reference = containers\n"
                + "swift_store_config_file = /etc/glance/glance.conf.d/swift-references.ini\nswift_store_container = glance\n"
                + "swift_store_create_container_on_put = true\nswift_store_large_object_size = 5120\n"
                + "swift_store_large_object_chunk_size = 200\nswift_store_auth_insecure = false\n"), section);
        assertFalse(section.contains("auth_address") || section.contains("swift_store_user"), "credentials only in the Secret");
    }

    @Test
    void memcachedTurnsOnTheTokenCacheAndUnsetRendersTheSameFileAsBefore() {
        GlanceAPISpec spec = new GlanceAPISpec();
        String without = GlanceApiConfigRenderer.render(spec, new GlanceImportStagingSpec()).render();
        assertFalse(without.contains("memcache"), without);
        spec.memcached = new Memcached(List.of("memcached-0.memcached.openstack.svc:11211", "[fd00::5]:11211"));
        Ini ini = GlanceApiConfigRenderer.render(spec, new GlanceImportStagingSpec());
        assertEquals("memcached-0.memcached.openstack.svc:11211,[fd00::5]:11211", value(ini, "keystone_authtoken", "memcached_servers"));
        assertEquals("true", value(ini, "keystone_authtoken", "memcache_use_advanced_pool"));
        spec.memcached = null;
        assertEquals(without, GlanceApiConfigRenderer.render(spec, new GlanceImportStagingSpec()).render(), "byte-identical when unset");
    }

    @Test
    void customServiceConfigMaySetTheTokenCacheOnlyWhileMemcachedIsUnset() {
        GlanceAPISpec spec = new GlanceAPISpec();
        String custom = "[keystone_authtoken]\nmemcached_servers = 10.0.0.5:11211\nmemcache_security_strategy = MAC\n";
        assertTrue(CustomConfigValidator.validate(custom, GlanceApiConfigRenderer.storeOptions(spec)).isEmpty(),
                "without spec.memcached the option stays the user's (as before this field existed)");
        spec.memcached = new Memcached(List.of("memcached:11211"));
        var problem = CustomConfigValidator.validate(custom, GlanceApiConfigRenderer.storeOptions(spec)).orElseThrow();
        assertEquals("ManagedKeyInCustomConfig", problem.reason());
        assertTrue(problem.message().contains("[keystone_authtoken] memcached_servers"), problem.message());
        assertFalse(problem.message().contains("memcache_security_strategy"), problem.message());
    }
}
