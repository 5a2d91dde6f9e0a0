package org.openstack.glanceimport.api.staging;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

public class Decompression {

    @JsonPropertyDescription("Decompress zip, lha and gzip uploads before conversion.")
    @Default("false")
    public boolean enabled;
}
