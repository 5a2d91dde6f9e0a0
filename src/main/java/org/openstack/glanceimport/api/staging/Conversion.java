package org.openstack.glanceimport.api.staging;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

public class Conversion {

    @JsonPropertyDescription("Auto converts when the GlanceAPI uses the rbd backend; Always and Never force it.")
    @Default("Auto")
    public ConversionMode enabled = ConversionMode.Auto;

    @JsonPropertyDescription("Disk format images are converted to.")
    @Default("raw")
    public DiskFormat outputFormat = DiskFormat.raw;

    @JsonPropertyDescription("A plain upload (PUT /v2/images/{id}/file) skips the import plugins, so a qcow2 would land in RBD "
            + "unconverted. While conversion applies, such uploads are allowed to admins only unless this is true.")
    @Default("false")
    public boolean allowDirectUpload;
}
