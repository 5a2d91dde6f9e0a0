package org.openstack.glanceimport.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

import org.openstack.glanceimport.api.autoscaling.Autoscaling;
import org.openstack.glanceimport.api.exposure.RouteOverride;
import org.openstack.glanceimport.api.exposure.ServiceOverride;
import org.openstack.glanceimport.api.imagecache.ImageCache;
import org.openstack.glanceimport.api.keystone.KeystoneRegistration;
import org.openstack.glanceimport.api.keystone.Memcached;
import org.openstack.glanceimport.api.mounts.ExtraMount;
import org.openstack.glanceimport.api.probes.Probes;
import org.openstack.glanceimport.api.stores.BackendType;
import org.openstack.glanceimport.api.stores.Store;
import org.openstack.glanceimport.api.stranded.StrandedImages;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.tls) || self.port != 19292", message = "with tls, port 19292 is where glance-api listens behind "
        + "the TLS proxy; choose another port")
@ValidationRule(value = GlanceAPISpec.ROUTE_TERMINATION_RULE, message = "route.termination: passthrough and reencrypt need tls "
        + "(without it the pods serve plain http: use edge), and with tls the pods serve https only, which edge cannot "
        + "forward to (use reencrypt or passthrough)")
@ValidationRule(value = GlanceAPISpec.ONE_POD_FOR_LOCAL_FILES_RULE, message = GlanceAPISpec.ONE_POD_FOR_LOCAL_FILES_MESSAGE)
public class GlanceAPISpec {

    /**
     * A pod-local file store (no file.claimName; no stores at all means one) allows one pod: another pod has no copy of the
     * images and answers their downloads with HTTP 204 and an empty body.
     */
    public static final String ONE_POD_FOR_LOCAL_FILES_RULE = "((!has(self.replicas) || self.replicas <= 1) && !has(self.autoscaling)) "
            + "|| (has(self.stores) && size(self.stores) > 0 && self.stores.all(s, (has(s.type) && s.type != 'file') "
            + "|| (has(s.file) && has(s.file.claimName))))";
    public static final String ONE_POD_FOR_LOCAL_FILES_MESSAGE = "a file store without file.claimName (the default store is "
            + "one) keeps images on one pod's own claim, and the other pods would answer their downloads with an empty body: "
            + "with replicas above 1 or autoscaling, give each file store file.claimName (a ReadWriteMany claim), or use rbd "
            + "stores";

    /**
     * An edge Route forwards plain http, so it fits pods without tls only; passthrough and reencrypt hand TLS to the
     * pods, which serve it only with tls. The termination has a default (edge), so it is always there.
     */
    public static final String ROUTE_TERMINATION_RULE = "!has(self.route) || !has(self.route.termination) "
            + "|| (self.route.termination == 'edge') != has(self.tls)";

    /** Where glance-api listens on the pod's loopback when the TLS proxy fronts it. */
    public static final int TLS_BACKEND_PORT = 19292;

    /** Long enough for an import of a few GiB to finish; the schema default, the field's and an absent value's. */
    public static final int DEFAULT_IMPORT_DRAIN_SECONDS = 540;
    /** The TLS proxy's idle timeouts before they could be set; longer than any pause a working client makes. */
    public static final int DEFAULT_API_TIMEOUT_SECONDS = 300;
    /** A Kubernetes object name (DNS subdomain): keeps references free of characters that could break ini files or labels. */
    public static final String DNS_NAME = Store.DNS_NAME;
    /**
     * A NetworkAttachmentDefinition reference as Multus reads it: {@code name} or {@code namespace/name} (a DNS label, then
     * a DNS subdomain); no {@code @interface} suffix, the operator does not pick interface names.
     */
    public static final String NETWORK_ATTACHMENT = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    @JsonPropertyDescription("Number of glance-api pods; each gets its own staging claim.")
    @SpecReplicas
    @Default("1")
    @Min(0)
    @Max(32)
    public Integer replicas = 1;

    @JsonPropertyDescription("Pods that follow the import load (Glance's database, read every few seconds): replicas is "
            + "then left aside and status.autoscaling says how many pods are wanted and why. Unset: replicas pods.")
    public Autoscaling autoscaling;

    @JsonPropertyDescription("How long a scale-down may wait for images staged on the pods it removes to be imported or "
            + "deleted; then it proceeds (their staged data is lost). 0 scales down at once.")
    @Default("600")
    @Min(0)
    @Max(86400)
    public Integer scaleDownHoldSeconds = 600;

    @JsonPropertyDescription("How long a pod that is asked to stop (a roll, a scale-down, a node drain, an eviction, a pod "
            + "deletion) waits for the imports and uploads it runs to finish before glance-api is stopped; an import cut short "
            + "is lost for good. The pod's terminationGracePeriodSeconds is this plus 60. A pod with nothing staged stops at "
            + "once. 0 stops glance-api at once.")
    @Default("" + DEFAULT_IMPORT_DRAIN_SECONDS)
    @Min(0)
    @Max(86400)
    public Integer importDrainSeconds = DEFAULT_IMPORT_DRAIN_SECONDS;

    @JsonPropertyDescription("The server that runs glance-api: httpd (httpd with mod_wsgi, in the podified images; the "
            + "default), uwsgi (uWSGI with its python3 plugin, as Debian and Ubuntu run Glance), or eventlet (Glance's own "
            + "server, removed in Glance 33: only for images with Glance 31 or older). Whichever runs, imports survive a "
            + "pod's stop through the import drain (importDrainSeconds): no server waits for them after SIGTERM. Changing it "
            + "rolls the pods.")
    @Default("httpd")
    public ApiServer apiServer = ApiServer.httpd;

    @JsonPropertyDescription("glance-api container image. Default: the operator's RELATED_IMAGE_GLANCE_API.")
    @Size(max = 512)
    @Pattern("^[^\\s]+$")
    public String containerImage;

    @JsonPropertyDescription("Name of the GlanceImportStaging (same namespace) holding the staging and import policy.")
    @Required
    @Size(min = 1, max = 63)
    @Pattern(DNS_NAME)
    public String stagingRef;

    @JsonPropertyDescription("Where images are stored: one entry per Glance store (enabled_backends). Images are imported into the "
            + "default store unless the request names others; copy-image copies an image into more. Default: one file store "
            + "named file on each pod's own claim (one pod only). Each rbd store names its Ceph Secret: stores on different "
            + "Secrets reach different Ceph clusters; s3 and swift stores each name the Secret with their credentials.")
    @Size(max = 8)
    @ValidationRule(value = "self.all(s, self.exists_one(t, t.name == s.name))", message = "store names must be unique")
    @ValidationRule(value = "self.filter(s, has(s.default) && s.default).size() <= 1", message = "at most one store may be the default")
    public List<Store> stores;

    @JsonPropertyDescription("Serve the API over HTTPS; pods proxy imports to each other over HTTPS and verify the certificate.")
    public Tls tls;

    @JsonPropertyDescription("Per-pod image cache on its own claim, pruned and cleaned by a CronJob per pod. Changing it "
            + "(on or off) re-creates the StatefulSet without stopping pods, then rolls them.")
    public ImageCache imageCache;

    @JsonPropertyDescription("Images staged on pods that are gone for good (removed by a scale-down, or their claim lost): "
            + "reported by default, optionally deleted after a grace period.")
    public StrandedImages strandedImages;

    @JsonPropertyDescription("Periodic glance-manage db purge of soft-deleted rows.")
    public DatabasePurge databasePurge;

    @JsonPropertyDescription("Secret with the database credentials: keys host, username, password and optionally port, database.")
    @Required
    @Size(min = 1, max = 253)
    @Pattern(DNS_NAME)
    public String databaseSecret;

    @JsonPropertyDescription("TLS to the database of databaseSecret: its CA. Without it the connections are in clear, and a "
            + "database that requires TLS (require_secure_transport) refuses them.")
    public DatabaseTls databaseTLS;

    @JsonPropertyDescription("Secret with the Keystone service user: keys auth_url, username, password and optionally "
            + "project_name, user_domain_name, project_domain_name, region_name.")
    @Required
    @Size(min = 1, max = 253)
    @Pattern(DNS_NAME)
    public String keystoneSecret;

    @JsonPropertyDescription("Register the image service and its endpoints in Keystone (off by default): through Keystone's "
            + "v3 API, or as keystone-operator's KeystoneService/KeystoneEndpoint objects where the cluster serves them.")
    public KeystoneRegistration keystoneRegistration;

    @JsonPropertyDescription("Token cache: memcached servers keystonemiddleware keeps validated tokens in, so that a "
            + "request does not cost a token validation in Keystone. Unset: no cache (every request is validated).")
    public Memcached memcached;

    @JsonPropertyDescription("Extra glance-api.conf ini, applied after the operator's settings. Keys the operator manages "
            + "(worker_self_reference_url, bind_host, bind_port, enabled_import_methods, enabled_backends, the staging and tasks "
            + "store paths, [database] connection, [keystone_authtoken] credentials) are rejected.")
    @Size(max = 65536)
    public String customServiceConfig;

    @JsonPropertyDescription("Secrets (same namespace) whose keys are glance-api.conf ini files (each key ends in .conf), "
            + "read after customServiceConfig and the operator's settings: for what must not sit in a ConfigMap, such as a "
            + "notification transport URL or a memcache password. The same options as in customServiceConfig are refused. "
            + "Copied into the operator's Secret of this GlanceAPI: a change rolls the pods.")
    @Size(max = 8)
    @ValidationRule(value = "self.all(s, self.exists_one(t, t == s))", message = "customServiceConfigSecrets must not name a "
            + "Secret twice")
    public List<@Size(min = 1, max = 253) @Pattern(DNS_NAME) String> customServiceConfigSecrets;

    @JsonPropertyDescription("Secrets and ConfigMaps mounted read-only into the glance-api container: policy files "
            + "(/etc/glance/policy.d), CA bundles, files a store needs. Not at the paths the operator mounts.")
    @Size(max = 16)
    @ValidationRule(value = "self.all(m, self.exists_one(n, n.mountPath == m.mountPath))", message = "two extraMounts "
            + "have the same mountPath")
    public List<ExtraMount> extraMounts;

    @JsonPropertyDescription("Port the image API is served on (https when tls is set).")
    @Default("9292")
    @Min(1024)
    @Max(65535)
    public Integer port = 9292;

    @JsonPropertyDescription("Seconds a connection to the API may stay silent before it is cut: a client pausing in an "
            + "upload or download, or Glance before its answer. It sets the TLS proxy's client and server timeouts, httpd's "
            + "Timeout, uWSGI's --socket-timeout and eventlet's client_socket_timeout (customServiceConfig may still set the "
            + "latter). It bounds silence, not transfer time: an upload of any size that keeps sending is never cut.")
    @Default("" + DEFAULT_API_TIMEOUT_SECONDS)
    @Min(5)
    @Max(86400)
    public Integer apiTimeout = DEFAULT_API_TIMEOUT_SECONDS;

    @JsonPropertyDescription("glance-api worker processes per pod; they share the pod's staging claim and URL. Default: the "
            + "glance-api container's CPU limit, else its CPU request, rounded up, at least 1 and at most 8 (unset, Glance "
            + "would start one per CPU of the node).")
    @Min(1)
    @Max(32)
    public Integer workers;

    @JsonPropertyDescription("Compute resources of the glance-api container.")
    public ResourceRequirements resources;

    @JsonPropertyDescription("Timings of the glance-api pods' startup, readiness and liveness probes; unset ones keep "
            + "the defaults.")
    public Probes probes;

    @JsonPropertyDescription("Node selector for the glance-api pods.")
    public Map<String, String> nodeSelector;

    @JsonPropertyDescription("Tolerations for the glance-api pods.")
    public List<Toleration> tolerations;

    @JsonPropertyDescription("How the glance-api pods spread across the cluster. A constraint without labelSelector gets "
            + "the pods' own. Default: across zones (topology.kubernetes.io/zone, maxSkew 1, ScheduleAnyway); nodes are "
            + "spread by the default anti-affinity (see affinity). An empty list sets none.")
    @Size(max = 8)
    // what the StatefulSet's pod template would be refused for, refused here where the user sees it
    @ValidationRule(value = "self.all(c, has(c.maxSkew) && c.maxSkew >= 1 && has(c.topologyKey) && c.topologyKey != '' "
            + "&& has(c.whenUnsatisfiable) && c.whenUnsatisfiable in ['DoNotSchedule', 'ScheduleAnyway'])", message = "each topology spread constraint needs maxSkew of at least 1, a topologyKey, and "
            + "whenUnsatisfiable DoNotSchedule or ScheduleAnyway")
    public List<TopologySpreadConstraint> topologySpreadConstraints;

    @JsonPropertyDescription("Affinity for the glance-api pods. Unless it has a podAntiAffinity, the pods also prefer "
            + "nodes that run none of them (a soft anti-affinity on kubernetes.io/hostname).")
    public Affinity affinity;

    @JsonPropertyDescription("Multus NetworkAttachmentDefinitions the glance-api pods join besides the pod network, each "
            + "name (the GlanceAPI's namespace) or namespace/name: typically the storage network Ceph is reached on. Every "
            + "one must exist, and Multus must be installed. The pods' addresses on them are in status.networkAddresses. "
            + "Changing it rolls the pods.")
    @Size(max = 8)
    @ValidationRule(value = "self.all(n, self.exists_one(m, m == n))", message = "network attachments must be unique")
    public List<@Size(min = 1, max = 317) @Pattern(NETWORK_ATTACHMENT) String> networkAttachments;

    @JsonPropertyDescription("How the image API's Service is published: its type (ClusterIP, LoadBalancer, NodePort), "
            + "annotations and labels, and the load balancer's settings. Unset: a ClusterIP Service.")
    public ServiceOverride service;

    @JsonPropertyDescription("An OpenShift Route to the Service, where the cluster serves route.openshift.io/v1 (elsewhere "
            + "the RouteAvailable condition says it is not made). status.endpoints.public gives its URL.")
    public RouteOverride route;

    @JsonIgnore
    public boolean registersInKeystone() {
        return keystoneRegistration != null && keystoneRegistration.on();
    }

    @JsonIgnore
    public ApiServer apiServerOrDefault() {
        return apiServer == null ? ApiServer.httpd : apiServer;
    }

    @JsonIgnore
    public List<ExtraMount> extraMountsOrNone() {
        return extraMounts == null ? List.of() : extraMounts;
    }

    @JsonIgnore
    public int apiTimeoutOrDefault() {
        return apiTimeout == null ? DEFAULT_API_TIMEOUT_SECONDS : apiTimeout;
    }

    @JsonIgnore
    public int importDrainSecondsOrDefault() {
        return importDrainSeconds == null ? DEFAULT_IMPORT_DRAIN_SECONDS : importDrainSeconds;
    }

    /** The most pods there may be: names a certificate must cover. */
    @JsonIgnore
    public int podsAtMost() {
        return autoscaling != null && autoscaling.maxReplicas != null ? Math.max(autoscaling.maxReplicas, replicas) : replicas;
    }

    /** The configured stores, or the single file store used when none are. */
    public List<Store> storesOrDefault() {
        return stores == null || stores.isEmpty() ? List.of(new Store("file", BackendType.file)) : stores;
    }

    /** The store marked default, else the first. */
    @JsonIgnore
    public Store defaultStore() {
        List<Store> all = storesOrDefault();
        return all.stream().filter(Store::isDefault).findFirst().orElse(all.get(0));
    }

    /** The file stores on each pod's own staging claim; with any, more than one pod would serve empty images. */
    @JsonIgnore
    public List<Store> podLocalStores() {
        return storesOrDefault().stream().filter(Store::podLocal).toList();
    }

    /** The stores on a claim every pod mounts. */
    @JsonIgnore
    public List<Store> sharedFileStores() {
        return storesOrDefault().stream().filter(s -> s.sharedClaim() != null).toList();
    }

    @JsonIgnore
    public boolean usesRbd() {
        return storesOrDefault().stream().anyMatch(Store::usesRbd);
    }

    /** The rbd stores that have their rbd section (one without is refused as input). */
    @JsonIgnore
    public List<Store> rbdStores() {
        return storesOrDefault().stream().filter(s -> s.usesRbd() && s.rbd != null).toList();
    }

    /** The rbd stores by the Ceph Secret they name, in the order the Secrets first appear: one Secret per Ceph cluster. */
    @JsonIgnore
    public Map<String, List<Store>> rbdStoresBySecret() {
        Map<String, List<Store>> bySecret = new LinkedHashMap<>();
        rbdStores().forEach(s -> bySecret.computeIfAbsent(s.rbd.secretName, k -> new ArrayList<>()).add(s));
        return bySecret;
    }

    /** The s3 stores that have their s3 section (one without is refused as input). */
    @JsonIgnore
    public List<Store> s3Stores() {
        return storesOrDefault().stream().filter(s -> s.type == BackendType.s3 && s.s3 != null).toList();
    }

    /** The swift stores that have their swift section (one without is refused as input). */
    @JsonIgnore
    public List<Store> swiftStores() {
        return storesOrDefault().stream().filter(s -> s.type == BackendType.swift && s.swift != null).toList();
    }

    @JsonIgnore
    public boolean tlsEnabled() {
        return tls != null;
    }

    @JsonIgnore
    public StrandedImages strandedImagesOrDefault() {
        return strandedImages != null ? strandedImages : new StrandedImages();
    }
}
