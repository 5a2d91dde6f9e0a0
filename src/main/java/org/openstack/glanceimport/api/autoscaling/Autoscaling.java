package org.openstack.glanceimport.api.autoscaling;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Pods that follow the import load Glance's database shows. The operator keeps its decision in
 * status.autoscaling; it never writes spec.replicas, which autoscaling leaves aside.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.minReplicas) || self.minReplicas <= self.maxReplicas",
        message = "minReplicas must not exceed maxReplicas")
public class Autoscaling {

    @JsonPropertyDescription("Fewest glance-api pods, also with no import running.")
    @Default("1")
    @Min(1)
    @Max(32)
    public Integer minReplicas = 1;

    @JsonPropertyDescription("Most glance-api pods. The serving certificate (tls) must name this many pods.")
    @Required
    @Min(1)
    @Max(32)
    public Integer maxReplicas;

    @JsonPropertyDescription("Target of imports in flight per pod: images staged and waiting for their import, being imported, "
            + "or being uploaded to a staging area. Pods wanted = ceil(in flight / importsPerPod), within min and max.")
    @Default("2")
    @Min(1)
    @Max(1000)
    public Integer importsPerPod = 2;

    @JsonPropertyDescription("A scale-down happens only after the load has wanted fewer pods for this long, and then to the "
            + "most pods wanted during that time. Scale-ups happen at once. Every scale-down still waits for images "
            + "staged or being imported on the pods it removes (scaleDownHoldSeconds).")
    @Default("300")
    @Min(0)
    @Max(86400)
    public Integer scaleDownStabilizationSeconds = 300;

    @JsonPropertyDescription("Staging pressure: when the images staged on a pod reach this percentage of its staging claim, "
            + "the operator grows that claim (up to maxStagingSize, where the StorageClass allows expansion), else adds a pod.")
    @Default("80")
    @Min(10)
    @Max(100)
    public Integer stagingHighWatermarkPercent = 80;

    @JsonPropertyDescription("Largest size a pod's staging claim may grow to under staging pressure. Unset: claims never grow "
            + "beyond the GlanceImportStaging's size, and staging pressure adds a pod instead. Claims never shrink.")
    public Quantity maxStagingSize;

    public int min() {
        return minReplicas == null ? 1 : minReplicas;
    }

    public int importsPerPodOrDefault() {
        return importsPerPod == null ? 2 : importsPerPod;
    }

    public int stabilizationSeconds() {
        return scaleDownStabilizationSeconds == null ? 300 : scaleDownStabilizationSeconds;
    }

    public int watermarkPercent() {
        return stagingHighWatermarkPercent == null ? 80 : stagingHighWatermarkPercent;
    }
}
