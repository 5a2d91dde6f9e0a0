package org.openstack.glanceimport.api;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;

import org.openstack.glanceimport.api.autoscaling.AutoscalingStatus;
import org.openstack.glanceimport.api.exposure.Endpoints;
import org.openstack.glanceimport.api.imagecache.ImageCacheStatus;
import org.openstack.glanceimport.api.keystone.KeystoneRegistrationStatus;
import org.openstack.glanceimport.api.networks.PodNetworkAddresses;
import org.openstack.glanceimport.api.stranded.StrandedImage;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class GlanceAPIStatus implements WithConditions {

    @JsonPropertyDescription("Pods the StatefulSet runs.")
    @StatusReplicas
    public Integer replicas;

    @JsonPropertyDescription("Pods passing their readiness probe.")
    public Integer readyReplicas;

    @JsonPropertyDescription("Label selector of the pods, for the scale subresource.")
    @LabelSelector
    public String selector;

    @JsonPropertyDescription("Generation of the spec this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("Hash of the rendered configuration and credentials the pods run with.")
    public String configHash;

    @JsonPropertyDescription("Requested staging size per pod.")
    public String stagingSize;

    @JsonPropertyDescription("Per-pod staging claims and self-reference URLs.")
    public List<StagingClaimStatus> stagingClaims = new ArrayList<>();

    @JsonPropertyDescription("With spec.networkAttachments: each pod's addresses on the attached networks, as Multus "
            + "reports them.")
    public List<PodNetworkAddresses> networkAddresses;

    @JsonPropertyDescription("With spec.autoscaling: the pods the import load wants, and why.")
    public AutoscalingStatus autoscaling;

    @JsonPropertyDescription("Since when a scale-down waits for images staged on the pods it would remove.")
    public String scaleDownHeldSince;

    @JsonPropertyDescription("While a roll waits for a pod without the import drain (made by an earlier release) to "
            + "finish its imports: which pod, since and until when.")
    public RollHold rollHold;

    @JsonPropertyDescription("Images staged on pods or claims that are gone: they can never finish importing.")
    public List<StrandedImage> strandedImages;

    @JsonPropertyDescription("Image cache claims and their maintenance, when imageCache is set.")
    public ImageCacheStatus imageCache;

    @JsonPropertyDescription("Expiry (notAfter) of the serving certificate, when tls is set.")
    public String tlsNotAfter;

    @JsonPropertyDescription("In-cluster URL of the image API.")
    public String endpoint;

    @JsonPropertyDescription("The URLs to register in Keystone: internal (in-cluster) and public (the Route's or load "
            + "balancer's, once admitted or assigned).")
    public Endpoints endpoints;

    @JsonPropertyDescription("With spec.keystoneRegistration: what the operator registered in Keystone.")
    public KeystoneRegistrationStatus keystoneRegistration;

    @JsonPropertyDescription("Ready, ConfigReady, StagingReady, Progressing, Degraded.")
    public List<Condition> conditions = new ArrayList<>();

    @Override
    public List<Condition> getConditions() {
        return conditions;
    }
}
