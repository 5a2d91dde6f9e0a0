package org.openstack.glanceimport.api.staging;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

public class Retention {

    @JsonPropertyDescription("Claims of pods removed by a scale-down: Retain keeps them for a later scale-up, Delete removes them.")
    @Default("Retain")
    public RetentionPolicy whenScaled = RetentionPolicy.Retain;

    @JsonPropertyDescription("Claims of a deleted GlanceAPI: Delete lets them be garbage-collected, Retain keeps them.")
    @Default("Delete")
    public RetentionPolicy whenDeleted = RetentionPolicy.Delete;
}
