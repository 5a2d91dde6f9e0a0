package org.openstack.glanceimport.config;

import java.util.Map;

import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.GlanceImportStagingSpec;
import org.openstack.glanceimport.api.RbdBackend;

/**
 * Renders 00-glance-api.conf: everything the operator decides. Nothing secret goes here (see SecretConfigRenderer), and
 * nothing per pod: worker_self_reference_url and bind_host come from the pod's environment so one ConfigMap serves all pods.
 */
public final class GlanceApiConfigRenderer {

    public static final String BACKEND = "default_backend";

    private GlanceApiConfigRenderer() {
    }

    public static Ini render(GlanceAPISpec spec, GlanceImportStagingSpec policy) {
        Ini ini = new Ini()
                .set("DEFAULT", "bind_port", spec.port)
                .set("DEFAULT", "workers", 1)
                .setList("DEFAULT", "enabled_import_methods", ImportConfigRenderer.importMethods(policy))
                .set("DEFAULT", "enabled_backends", BACKEND + ":" + spec.storageBackend.type.name())
                .set("DEFAULT", "show_image_direct_url", spec.storageBackend.usesRbd())
                .set("glance_store", "default_backend", BACKEND);
        if (spec.storageBackend.usesRbd()) {
            RbdBackend rbd = spec.storageBackend.rbd;
            ini.set(BACKEND, "rbd_store_pool", rbd.pool)
                    .set(BACKEND, "rbd_store_user", rbd.user)
                    .set(BACKEND, "store_description", "Ceph RBD pool " + rbd.pool)
                    .set(BACKEND, "rbd_store_ceph_conf", GlancePaths.CEPH_CONF)
                    // sparse raw images would otherwise be written out in full
                    .set(BACKEND, "rbd_thin_provisioning", true);
        } else {
            ini.set(BACKEND, "store_description", "Pod-local file store")
                    .set(BACKEND, "filesystem_store_datadir", GlancePaths.FILE_STORE_DIR);
        }
        ImportConfigRenderer.stagingStores().sections().forEach((section, entries) -> entries.forEach((k, v) -> ini.set(section, k, v)));
        if (uploadsRestricted(spec, policy)) {
            ini.set("oslo_policy", "policy_file", GlancePaths.CONFIG_DIR + "/" + GlancePaths.POLICY_FILE);
        }
        ini.set("oslo_concurrency", "lock_path", GlancePaths.LOCK_DIR)
                .set("paste_deploy", "flavor", "keystone")
                // with explicit --config-file arguments glance would look for a paste file named after the last one
                .set("paste_deploy", "config_file", GlancePaths.PASTE_INI)
                .set("keystone_authtoken", "auth_type", "password");
        return ini;
    }

    /** Where images must be converted, a plain upload would bypass it: only admins may still use one. */
    public static boolean uploadsRestricted(GlanceAPISpec spec, GlanceImportStagingSpec policy) {
        return ImportConfigRenderer.conversionEnabled(policy, spec.storageBackend.type) && !policy.conversion.allowDirectUpload;
    }

    /** Glance checks upload_image only on PUT /file; staging checks modify_image, and imports run as tasks. */
    public static final String UPLOAD_POLICY = "\"upload_image\": \"role:admin\"\n";

    /** Options the operator owns; customServiceConfig may not set them. Section name to keys, "*" for the whole section. */
    public static final Map<String, java.util.Set<String>> MANAGED = Map.of(
            "DEFAULT", java.util.Set.of("worker_self_reference_url", "bind_host", "bind_port", "enabled_import_methods",
                    "enabled_backends"),
            "glance_store", java.util.Set.of("default_backend"),
            "os_glance_staging_store", java.util.Set.of("*"),
            "os_glance_tasks_store", java.util.Set.of("*"),
            "database", java.util.Set.of("connection"),
            "keystone_authtoken", java.util.Set.of("auth_url", "www_authenticate_uri", "username", "password", "project_name",
                    "user_domain_name", "project_domain_name", "auth_type"),
            "image_import_opts", java.util.Set.of("image_import_plugins"),
            "paste_deploy", java.util.Set.of("flavor"),
            "oslo_policy", java.util.Set.of("policy_file"));
}
