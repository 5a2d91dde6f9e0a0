package org.openstack.glanceimport.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class GlanceAPISpec {

    /** A Kubernetes object name (DNS subdomain): keeps references free of characters that could break ini files or labels. */
    static final String DNS_NAME = "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$";

    @JsonPropertyDescription("Number of glance-api pods; each gets its own staging claim.")
    @SpecReplicas
    @Default("1")
    @Min(0)
    @Max(32)
    public Integer replicas = 1;

    @JsonPropertyDescription("How long a scale-down may wait for images staged on the pods it removes to be imported or "
            + "deleted; then it proceeds (their staged data is lost). 0 scales down at once.")
    @Default("600")
    @Min(0)
    @Max(86400)
    public Integer scaleDownHoldSeconds = 600;

    @JsonPropertyDescription("glance-api container image. Default: the operator's RELATED_IMAGE_GLANCE_API.")
    @Size(max = 512)
    @Pattern("^[^\\s]+$")
    public String containerImage;

    @JsonPropertyDescription("Name of the GlanceImportStaging (same namespace) holding the staging and import policy.")
    @Required
    @Size(min = 1, max = 63)
    @Pattern(DNS_NAME)
    public String stagingRef;

    @JsonPropertyDescription("Where imported images are stored.")
    public StorageBackend storageBackend = new StorageBackend();

    @JsonPropertyDescription("Secret with the database credentials: keys host, username, password and optionally port, database.")
    @Required
    @Size(min = 1, max = 253)
    @Pattern(DNS_NAME)
    public String databaseSecret;

    @JsonPropertyDescription("Secret with the Keystone service user: keys auth_url, username, password and optionally "
            + "project_name, user_domain_name, project_domain_name, region_name.")
    @Required
    @Size(min = 1, max = 253)
    @Pattern(DNS_NAME)
    public String keystoneSecret;

    @JsonPropertyDescription("Extra glance-api.conf ini, applied after the operator's settings. Keys the operator manages "
            + "(worker_self_reference_url, bind_host, bind_port, enabled_import_methods, enabled_backends, the staging and tasks "
            + "store paths, [database] connection, [keystone_authtoken] credentials) are rejected.")
    @Size(max = 65536)
    public String customServiceConfig;

    @JsonPropertyDescription("Port glance-api listens on.")
    @Default("9292")
    @Min(1024)
    @Max(65535)
    public Integer port = 9292;

    @JsonPropertyDescription("Compute resources of the glance-api container.")
    public ResourceRequirements resources;

    @JsonPropertyDescription("Node selector for the glance-api pods.")
    public Map<String, String> nodeSelector;

    @JsonPropertyDescription("Tolerations for the glance-api pods.")
    public List<Toleration> tolerations;

    @JsonPropertyDescription("Affinity for the glance-api pods. Default: prefer spreading pods across nodes.")
    public Affinity affinity;
}
