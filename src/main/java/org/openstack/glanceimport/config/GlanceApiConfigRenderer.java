package org.openstack.glanceimport.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Quantity;

import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.GlanceImportStagingSpec;
import org.openstack.glanceimport.api.imagecache.ImageCache;
import org.openstack.glanceimport.api.stores.RbdBackend;
import org.openstack.glanceimport.api.stores.S3Backend;
import org.openstack.glanceimport.api.stores.Store;
import org.openstack.glanceimport.api.stores.SwiftBackend;

/**
 * Renders 00-glance-api.conf: everything the operator decides. Nothing secret goes here (see SecretConfigRenderer), and
 * nothing per pod: worker_self_reference_url (and bind_host under eventlet) come from the pod's environment so one ConfigMap
 * serves all pods.
 */
public final class GlanceApiConfigRenderer {

    private GlanceApiConfigRenderer() {
    }

    public static Ini render(GlanceAPISpec spec, GlanceImportStagingSpec policy) {
        List<Store> stores = spec.storesOrDefault();
        Ini ini = new Ini();
        if (spec.apiServerOrDefault().wsgi()) {
            // the WSGI server binds and forks (WsgiFiles, ServerCommand); Glance 33 no longer knows bind_port and workers
            ini.set("wsgi", "python_interpreter", WsgiFiles.PYTHON);
        } else {
            // client_socket_timeout not managed: customServiceConfig, read after this file, may still set it
            ini.set("DEFAULT", "bind_port", spec.tlsEnabled() ? GlanceAPISpec.TLS_BACKEND_PORT : spec.port)
                    .set("DEFAULT", "workers", Workers.of(spec))
                    .set("DEFAULT", "client_socket_timeout", spec.apiTimeoutOrDefault());
        }
        ini.setList("DEFAULT", "enabled_import_methods", ImportConfigRenderer.importMethods(policy))
                // a dict option: "id:type, id:type", not a list
                .set("DEFAULT", "enabled_backends", String.join(", ", stores.stream().map(s -> s.name + ":" + s.type.name()).toList()))
                .set("DEFAULT", "show_image_direct_url", spec.usesRbd())
                // Glance hashes every imported byte in Python: sha256 runs on the SHA extensions of current x86 and ARM
                // CPUs, sha512 (Glance's default) does not; imports take 0.75x to 0.84x as long (make bench-import,
                // docs/performance.md "Sizing"). os_hash_algo is kept per image, so images hashed before still verify.
                .set("DEFAULT", "hashing_algorithm", HASHING_ALGORITHM)
                .set("glance_store", "default_backend", spec.defaultStore().name);
        stores.forEach(store -> renderStore(ini, spec, store));
        ImportConfigRenderer.stagingStores().sections().forEach((section, entries) -> entries.forEach((k, v) -> ini.set(section, k, v)));
        if (uploadsRestricted(spec, policy)) {
            ini.set("oslo_policy", "policy_file", GlancePaths.CONFIG_DIR + "/" + GlancePaths.POLICY_FILE);
        }
        if (spec.tlsEnabled()) {
            // the proxy terminates TLS; glance must still build https URLs (image locations, version documents)
            ini.set("oslo_middleware", "enable_proxy_headers_parsing", true);
        }
        ImageCache cache = spec.imageCache;
        if (cache != null) {
            ini.set("DEFAULT", "image_cache_dir", GlancePaths.CACHE_DIR)
                    .set("DEFAULT", "image_cache_max_size", cacheMaxSizeBytes(cache))
                    .set("DEFAULT", "image_cache_stall_time", cache.stallTimeSeconds);
        }
        ini.set("oslo_concurrency", "lock_path", GlancePaths.LOCK_DIR)
                .set("paste_deploy", "flavor", cache != null ? "keystone+cachemanagement" : "keystone")
                // with explicit --config-file arguments glance would look for a paste file named after the last one
                .set("paste_deploy", "config_file", GlancePaths.PASTE_INI)
                .set("keystone_authtoken", "auth_type", "password");
        tokenCache(ini, spec);
        return ini;
    }

    /**
     * keystonemiddleware's token cache. The advanced pool (oslo.cache's, eventlet-safe, reused connections) is the default
     * only since keystonemiddleware 10.x: set so older images behave the same.
     */
    private static void tokenCache(Ini ini, GlanceAPISpec spec) {
        if (spec.memcached != null && spec.memcached.servers != null && !spec.memcached.servers.isEmpty()) {
            // a plain ListOpt: comma-separated, no brackets (those are kept as part of the first and last server)
            ini.set("keystone_authtoken", "memcached_servers", String.join(",", spec.memcached.servers))
                    .set("keystone_authtoken", "memcache_use_advanced_pool", true);
        }
    }

    /** The options the operator renders in each store's section, by store name: customServiceConfig may not set them. */
    public static Map<String, Set<String>> storeOptions(GlanceAPISpec spec) {
        Ini ini = new Ini();
        for (Store store : spec.storesOrDefault().stream().filter(Store::hasSettings).toList()) {
            try {
                renderStore(ini, spec, store);
            } catch (IllegalArgumentException e) {
                // a value that would break the ini: the render proper reports it (InvalidValue); only the keys matter here
            }
        }
        // with spec.memcached the token cache is the operator's too (memcache_servers: keystonemiddleware's old name)
        tokenCache(ini, spec);
        Map<String, Set<String>> options = new java.util.TreeMap<>();
        ini.sections().forEach((section, entries) -> options.put(section, Set.copyOf(entries.keySet())));
        if (options.containsKey("keystone_authtoken")) {
            options.put("keystone_authtoken", Set.of("memcached_servers", "memcache_servers", "memcache_use_advanced_pool"));
        }
        return options;
    }

    /**
     * Store options holding credentials, or pointing at them: refused in customServiceConfig in any section, since it is
     * rendered into a ConfigMap.
     */
    public static final Set<String> CREDENTIAL_OPTIONS = Set.of("s3_store_access_key", "s3_store_secret_key", "s3_store_cacert",
            "swift_store_key", "swift_store_user", "swift_store_auth_address", "swift_store_cacert", "rbd_store_ceph_conf");

    private static void renderStore(Ini ini, GlanceAPISpec spec, Store store) {
        switch (store.type) {
            case rbd -> rbd(ini, spec, store);
            case s3 -> s3(ini, store);
            case swift -> swift(ini, store);
            case file -> ini.set(store.name, "store_description", description(store, store.sharedClaim() != null
                    ? "Shared file store (claim " + store.sharedClaim() + ")" : "Pod-local file store"))
                    .set(store.name, "filesystem_store_datadir", GlancePaths.fileStoreDir(store));
        }
    }

    private static void rbd(Ini ini, GlanceAPISpec spec, Store store) {
        RbdBackend rbd = store.rbd;
        ini.set(store.name, "rbd_store_pool", rbd.pool)
                .set(store.name, "rbd_store_user", rbd.user)
                .set(store.name, "store_description", description(store, "Ceph RBD pool " + rbd.pool))
                .set(store.name, "rbd_store_ceph_conf", CephLayout.conf(spec, rbd.secretName))
                // Glance's default, rendered to say it was measured: 4, 16 and 32 MiB objects imported no faster
                // (1.0x to 1.2x the time, make bench-import --settings)
                .set(store.name, "rbd_store_chunk_size", RBD_CHUNK_MIB)
                // sparse raw images would otherwise be written out in full: a 1 GiB image holding 65 MiB becomes 128
                // objects instead of 9. Thick imports measured 0.86x the time, since the zero check costs CPU, but they
                // store and replicate the whole virtual size
                .set(store.name, "rbd_thin_provisioning", true);
    }

    /** The keys and the CA path come from the store's Secret: SecretConfigRenderer puts them in the same section. */
    private static void s3(Ini ini, Store store) {
        S3Backend s3 = store.s3;
        ini.set(store.name, "store_description", description(store, "S3 bucket " + s3.bucket))
                .set(store.name, "s3_store_host", s3.endpoint)
                .set(store.name, "s3_store_bucket", s3.bucket)
                .set(store.name, "s3_store_create_bucket_on_put", Boolean.TRUE.equals(s3.createBucket))
                .set(store.name, "s3_store_bucket_url_format", s3.bucketUrlFormat)
                // both in MiB, as the schema's fields
                .set(store.name, "s3_store_large_object_size", s3.largeObjectSizeMiB)
                .set(store.name, "s3_store_large_object_chunk_size", s3.largeObjectChunkSizeMiB);
        if (s3.region != null) {
            // glance_store 4.1 does not know it and oslo.config ignores it there; later ones sign with it
            ini.set(store.name, "s3_store_region_name", s3.region);
        }
    }

    /** The credentials are in the reference file of the operator's Secret, named after the store. */
    private static void swift(Ini ini, Store store) {
        SwiftBackend swift = store.swift;
        ini.set(store.name, "store_description", description(store, "Swift container " + swift.container))
                .set(store.name, "default_swift_reference", store.name)
                .set(store.name, "swift_store_config_file", GlancePaths.configFile(GlancePaths.SWIFT_REFERENCES))
                .set(store.name, "swift_store_container", swift.container)
                .set(store.name, "swift_store_create_container_on_put", Boolean.TRUE.equals(swift.createContainer))
                .set(store.name, "swift_store_large_object_size", swift.largeObjectSizeMiB)
                .set(store.name, "swift_store_large_object_chunk_size", swift.largeObjectChunkSizeMiB)
                .set(store.name, "swift_store_auth_insecure", false);
    }

    private static String description(Store store, String otherwise) {
        return store.description != null ? store.description : otherwise;
    }

    /** What the pruner keeps the cache under: a share of the claim, leaving room for images being cached meanwhile. */
    public static long cacheMaxSizeBytes(ImageCache cache) {
        return Quantity.getAmountInBytes(cache.size).multiply(BigDecimal.valueOf(cache.maxSizePercent))
                .divide(BigDecimal.valueOf(100), RoundingMode.DOWN).longValue();
    }

    /** Where images must be converted, a plain upload would bypass it: only admins may still use one. */
    public static boolean uploadsRestricted(GlanceAPISpec spec, GlanceImportStagingSpec policy) {
        return ImportConfigRenderer.conversionEnabled(policy, spec.usesRbd()) && !policy.conversion.allowDirectUpload;
    }

    /** The [DEFAULT] hashing_algorithm rendered; customServiceConfig may set another (sha512 on CPUs without SHA extensions). */
    public static final String HASHING_ALGORITHM = "sha256";

    /** RBD object size in MiB of the images the rbd stores write. */
    public static final int RBD_CHUNK_MIB = 8;

    /** Glance checks upload_image only on PUT /file; staging checks modify_image, and imports run as tasks. */
    public static final String UPLOAD_POLICY = "\"upload_image\": \"role:admin\"\n";

    /** Options the operator owns; customServiceConfig may not set them. Section name to keys, "*" for the whole section. */
    public static final Map<String, Set<String>> MANAGED = Map.of(
            "DEFAULT", Set.of("worker_self_reference_url", "bind_host", "bind_port", "enabled_import_methods",
                    "enabled_backends", "image_cache_dir"),
            "glance_store", Set.of("default_backend"),
            "os_glance_staging_store", Set.of("*"),
            "os_glance_tasks_store", Set.of("*"),
            "database", Set.of("connection"),
            "keystone_authtoken", Set.of("auth_url", "www_authenticate_uri", "username", "password", "project_name",
                    "user_domain_name", "project_domain_name", "auth_type"),
            "image_import_opts", Set.of("image_import_plugins"),
            "paste_deploy", Set.of("flavor"),
            "oslo_policy", Set.of("policy_file"),
            "oslo_middleware", Set.of("enable_proxy_headers_parsing"));
}
