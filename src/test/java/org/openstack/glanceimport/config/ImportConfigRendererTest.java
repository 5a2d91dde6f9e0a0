package org.openstack.glanceimport.config;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceImportStagingSpec;
import org.openstack.glanceimport.api.staging.ConversionMode;
import org.openstack.glanceimport.api.staging.DiskFormat;
import org.openstack.glanceimport.api.staging.ImportMethod;
import org.openstack.glanceimport.api.staging.InjectMetadata;

class ImportConfigRendererTest {

    @Test
    void autoConvertsToRawForRbdOnly() {
        GlanceImportStagingSpec policy = new GlanceImportStagingSpec();
        Ini rbd = ImportConfigRenderer.render(policy, true);
        assertEquals("['image_conversion']", rbd.get("image_import_opts", "image_import_plugins").orElseThrow());
        assertEquals("raw", rbd.get("image_conversion", "output_format").orElseThrow());
        Ini file = ImportConfigRenderer.render(policy, false);
        assertEquals("[]", file.get("image_import_opts", "image_import_plugins").orElseThrow());
        assertFalse(file.get("image_conversion", "output_format").isPresent());
    }

    @Test
    void alwaysAndNeverOverrideTheBackend() {
        GlanceImportStagingSpec policy = new GlanceImportStagingSpec();
        policy.conversion.enabled = ConversionMode.Always;
        policy.conversion.outputFormat = DiskFormat.qcow2;
        assertEquals("qcow2", ImportConfigRenderer.render(policy, false).get("image_conversion", "output_format").orElseThrow());
        policy.conversion.enabled = ConversionMode.Never;
        assertEquals("[]", ImportConfigRenderer.render(policy, true).get("image_import_opts", "image_import_plugins").orElseThrow());
    }

    @Test
    void pluginsRunDecompressThenConvertThenInject() {
        GlanceImportStagingSpec policy = new GlanceImportStagingSpec();
        policy.decompression.enabled = true;
        policy.injectMetadata = new InjectMetadata();
        policy.injectMetadata.properties = new java.util.TreeMap<>(Map.of("hw_rng_model", "virtio", "owner_team", "infra"));
        Ini ini = ImportConfigRenderer.render(policy, true);
        assertEquals("['image_decompression', 'image_conversion', 'inject_image_metadata']",
                ini.get("image_import_opts", "image_import_plugins").orElseThrow());
        assertEquals("hw_rng_model:virtio,owner_team:infra", ini.get("inject_metadata_properties", "inject").orElseThrow());
        assertEquals("admin", ini.get("inject_metadata_properties", "ignore_user_roles").orElseThrow());
    }

    @Test
    void webDownloadFilteringOnlyWhenOffered() {
        GlanceImportStagingSpec policy = new GlanceImportStagingSpec();
        Ini ini = ImportConfigRenderer.render(policy, false);
        assertEquals("[https]", ini.get("import_filtering_opts", "allowed_schemes").orElseThrow());
        assertEquals("[443]", ini.get("import_filtering_opts", "allowed_ports").orElseThrow());
        assertTrue(ini.get("import_filtering_opts", "disallowed_hosts").orElseThrow().contains("169.254.169.254"));
        policy.importMethods = List.of(ImportMethod.GLANCE_DIRECT);
        assertFalse(ImportConfigRenderer.render(policy, false).sections().containsKey("import_filtering_opts"));
        assertEquals(List.of("glance-direct"), ImportConfigRenderer.importMethods(policy));
    }
}
