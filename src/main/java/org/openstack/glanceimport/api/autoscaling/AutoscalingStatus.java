package org.openstack.glanceimport.api.autoscaling;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AutoscalingStatus {

    @JsonPropertyDescription("Pods the import load wants now; a scale-down to it may still wait for staged images.")
    public Integer desiredReplicas;

    @JsonPropertyDescription("Imports in flight at the last look at Glance's database.")
    public Integer importsInFlight;

    @JsonPropertyDescription("Why desiredReplicas is what it is: Load, AtMinimum, AtMaximum, StabilizingScaleDown, "
            + "StagingPressure, LoadUnknown.")
    public String reason;

    @JsonPropertyDescription("The same, in words, with the figures.")
    public String message;

    @JsonPropertyDescription("Since when the load has wanted fewer pods than desiredReplicas.")
    public String lowerSince;

    @JsonPropertyDescription("The most pods the load wanted since lowerSince: the scale-down goes to this.")
    public Integer lowerRecommendation;

    @JsonPropertyDescription("When desiredReplicas last changed.")
    public String lastScaleTime;

    @JsonPropertyDescription("Pods whose staged images are near their claim's size, and what the operator did about it.")
    public String stagingPressure;
}
