package org.openstack.glanceimport.config;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.openstack.glanceimport.api.GlanceImportStagingSpec;
import org.openstack.glanceimport.api.staging.ConversionMode;
import org.openstack.glanceimport.api.staging.ImportMethod;
import org.openstack.glanceimport.api.staging.InjectMetadata;
import org.openstack.glanceimport.api.staging.WebDownload;

/** Renders the import pipeline (glance-image-import.conf options) of a staging policy for a GlanceAPI with or without rbd stores. */
public final class ImportConfigRenderer {

    private ImportConfigRenderer() {
    }

    /**
     * Auto converts when any store is rbd: an import is converted once and then written to every store it targets,
     * and Ceph needs raw to clone; file stores take raw as well.
     */
    public static boolean conversionEnabled(GlanceImportStagingSpec policy, boolean rbdStore) {
        ConversionMode mode = policy.conversion.enabled;
        return mode == ConversionMode.Always || (mode == ConversionMode.Auto && rbdStore);
    }

    public static List<String> importMethods(GlanceImportStagingSpec policy) {
        return policy.importMethods.stream().distinct().map(ImportMethod::glanceName).toList();
    }

    public static Ini render(GlanceImportStagingSpec policy, boolean rbdStore) {
        Ini ini = new Ini();
        List<String> plugins = new ArrayList<>();
        // order matters: decompress before inspecting/converting, inject metadata last
        if (policy.decompression.enabled) {
            plugins.add("image_decompression");
        }
        boolean convert = conversionEnabled(policy, rbdStore);
        if (convert) {
            plugins.add("image_conversion");
        }
        InjectMetadata inject = policy.injectMetadata;
        if (inject != null && !inject.properties.isEmpty()) {
            plugins.add("inject_image_metadata");
        }
        ini.set("image_import_opts", "image_import_plugins",
                plugins.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", ", "[", "]")));
        if (convert) {
            ini.set("image_conversion", "output_format", policy.conversion.outputFormat.name());
        }
        if (inject != null && !inject.properties.isEmpty()) {
            ini.set("inject_metadata_properties", "ignore_user_roles", String.join(",", inject.ignoredRoles));
            ini.set("inject_metadata_properties", "inject", inject.properties.entrySet().stream()
                    .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(",")));
        }
        if (policy.importMethods.contains(ImportMethod.WEB_DOWNLOAD)) {
            WebDownload web = policy.webDownload;
            ini.setList("import_filtering_opts", "allowed_schemes", web.allowedSchemes);
            ini.setList("import_filtering_opts", "allowed_ports", web.allowedPorts.stream().map(String::valueOf).toList());
            ini.setList("import_filtering_opts", "disallowed_hosts", web.disallowedHosts);
        }
        return ini;
    }

    /** The per-pod stores the staging claim backs; identical for every backend. */
    public static Ini stagingStores() {
        return new Ini()
                .set("os_glance_staging_store", "filesystem_store_datadir", GlancePaths.STAGING_DIR)
                .set("os_glance_tasks_store", "filesystem_store_datadir", GlancePaths.TASKS_DIR);
    }
}
