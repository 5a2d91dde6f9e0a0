package org.openstack.glanceimport.api;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

import org.openstack.glanceimport.api.staging.Conversion;
import org.openstack.glanceimport.api.staging.Decompression;
import org.openstack.glanceimport.api.staging.ImportMethod;
import org.openstack.glanceimport.api.staging.InjectMetadata;
import org.openstack.glanceimport.api.staging.Retention;
import org.openstack.glanceimport.api.staging.StagingStorage;
import org.openstack.glanceimport.api.staging.WebDownload;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class GlanceImportStagingSpec {

    @JsonPropertyDescription("Per-pod staging volume: every GlanceAPI pod gets its own claim with these properties.")
    public StagingStorage storage = new StagingStorage();

    @JsonPropertyDescription("What happens to staging claims when pods are scaled away or the GlanceAPI is deleted.")
    public Retention retention = new Retention();

    @JsonPropertyDescription("Import methods Glance offers (enabled_import_methods). Default: glance-direct, web-download, copy-image.")
    @Size(min = 1)
    public List<ImportMethod> importMethods = new ArrayList<>(List.of(ImportMethod.GLANCE_DIRECT, ImportMethod.WEB_DOWNLOAD,
            ImportMethod.COPY_IMAGE));

    @JsonPropertyDescription("Disk format conversion during import (image_conversion plugin).")
    public Conversion conversion = new Conversion();

    @JsonPropertyDescription("Decompression of compressed uploads during import (image_decompression plugin).")
    public Decompression decompression = new Decompression();

    @JsonPropertyDescription("Properties injected into every imported image (inject_image_metadata plugin).")
    public InjectMetadata injectMetadata;

    @JsonPropertyDescription("Filtering of web-download sources (import_filtering_opts).")
    public WebDownload webDownload = new WebDownload();
}
