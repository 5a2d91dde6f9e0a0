package org.openstack.glanceimport.api.stranded;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

public class StrandedImages {

    @JsonPropertyDescription("Report lists images staged on pods that are gone (status, condition ImagesStranded, Event, metric); "
            + "Delete also deletes them through the Glance API as the GlanceAPI's service user, after gracePeriodSeconds.")
    @Default("Report")
    public StrandedImagePolicy policy = StrandedImagePolicy.Report;

    @JsonPropertyDescription("With policy Delete: how long an image must have been stranded before it is deleted. A pod that "
            + "comes back with its claim in that time (a scale-up) takes its images back.")
    @Default("3600")
    @Min(0)
    @Max(2592000)
    public Integer gracePeriodSeconds = 3600;
}
