package org.openstack.glanceimport.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.CRDDescription;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.ClusterServiceVersion;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.RelatedImage;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.SpecDescriptor;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.StatusDescriptor;

import org.openstack.glanceimport.api.GlanceAPI;

/**
 * Completes the CSV that the QOSDK bundle generator writes with what that generator cannot express: display names and
 * descriptions of the owned CRDs, spec and status descriptors, relatedImages and alm-examples. Everything is derived from
 * inputs that are themselves generated or checked in (the CRDs next to the CSV, the operator Deployment's RELATED_IMAGE_*
 * variables, samples/minimal.yaml), so the result is a pure function of them: {@code make bundle} runs it after copying
 * the generator's output, and {@code BundleConsistencyTest} checks that running it again changes nothing.
 *
 * <p>
 * Usage: {@code BundleFinisher <manifests-dir> [<samples-file>]}; rewrites the CSV in place. `make bundle` runs it with
 * exec:java on the test classpath (it is compiled from src/tools/java as a test source, so it never reaches the jar).
 */
public final class BundleFinisher {

    public static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    public static final String CONDITIONS = "urn:alm:descriptor:io.kubernetes.conditions";

    /** Authored texts for the OperatorHub UI; the rest is derived. */
    private static final Map<String, String[]> KINDS = Map.of(
            "GlanceAPI", new String[] { "Glance API",
                    "A Glance image API: a StatefulSet of glance-api pods, each with its own staging volume and its own "
                            + "worker_self_reference_url, plus its Services, configuration and PodDisruptionBudget." },
            "GlanceImportStaging", new String[] { "Glance Import Staging",
                    "Staging volume and import pipeline policy (size, class, retention, import methods, conversion, "
                            + "filtering) shared by any number of GlanceAPIs in the namespace." });

    /** What each kind creates (OLM's owned[].resources; the console's resources tab lists them). */
    static final Map<String, List<io.fabric8.openshift.api.model.operatorhub.v1alpha1.APIResourceReference>> OWNED_RESOURCES = Map.of(
            "GlanceAPI", java.util.stream.Stream.of("StatefulSet", "Service", "ConfigMap", "Secret", "PersistentVolumeClaim", "Job",
                    "CronJob", "PodDisruptionBudget", "ServiceAccount", "Role", "RoleBinding").map(BundleFinisher::resource).toList(),
            "GlanceImportStaging", List.of(resource("ConfigMap")));

    private static io.fabric8.openshift.api.model.operatorhub.v1alpha1.APIResourceReference resource(String kind) {
        return new io.fabric8.openshift.api.model.operatorhub.v1alpha1.APIResourceReference(kind, kind.toLowerCase() + "s", "v1");
    }

    private BundleFinisher() {
    }

    /**
     * What OperatorHub and the OpenShift console read besides the generated fields. Each feature is true only where it
     * holds: disconnected needs the operand images pinned by digest for mirroring, and they are tags; the operator
     * passes no proxy settings to its pods, follows no cluster TLS profile, and needs no cloud token or FIPS mode.
     */
    static final Map<String, String> HUB_ANNOTATIONS = new java.util.TreeMap<>(Map.ofEntries(
            Map.entry("operatorframework.io/suggested-namespace", "openstack"),
            Map.entry("features.operators.openshift.io/disconnected", "false"),
            Map.entry("features.operators.openshift.io/fips-compliant", "false"),
            Map.entry("features.operators.openshift.io/proxy-aware", "false"),
            Map.entry("features.operators.openshift.io/tls-profiles", "false"),
            Map.entry("features.operators.openshift.io/token-auth-aws", "false"),
            Map.entry("features.operators.openshift.io/token-auth-azure", "false"),
            Map.entry("features.operators.openshift.io/token-auth-gcp", "false"),
            Map.entry("features.operators.openshift.io/cnf", "false"),
            Map.entry("features.operators.openshift.io/cni", "false"),
            Map.entry("features.operators.openshift.io/csi", "false")));

    public static final Path SCORECARD_SOURCE = Path.of("src/main/olm/scorecard/config.yaml");
    public static final Map<String, String> SCORECARD_LABELS = new java.util.TreeMap<>(Map.of(
            "operators.operatorframework.io.test.config.v1", "tests/scorecard/",
            "operators.operatorframework.io.test.mediatype.v1", "scorecard+v1"));

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            throw new IllegalArgumentException("usage: BundleFinisher <manifests-dir> [<samples-file>]");
        }
        Path manifests = Path.of(args[0]);
        Path samples = Path.of(args.length > 1 ? args[1] : "samples/minimal.yaml");
        Path csvFile = csvFile(manifests);
        ClusterServiceVersion csv = SERIALIZATION.unmarshal(Files.readString(csvFile), ClusterServiceVersion.class);
        String finished = toYaml(finish(csv, crds(manifests), examples(samples)));
        Files.writeString(csvFile, finished);
        addScorecard(manifests.getParent());
    }

    /** The scorecard configuration, and the labels that tell operator-sdk where it is in the bundle image. */
    static void addScorecard(Path bundle) throws IOException {
        Path config = bundle.resolve("tests/scorecard/config.yaml");
        Files.createDirectories(config.getParent());
        Files.copy(SCORECARD_SOURCE, config, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path annotations = bundle.resolve("metadata/annotations.yaml");
        StringBuilder yaml = new StringBuilder(Files.readString(annotations));
        Path dockerfile = bundle.resolve("bundle.Dockerfile");
        StringBuilder docker = new StringBuilder(Files.readString(dockerfile));
        SCORECARD_LABELS.forEach((k, v) -> {
            if (yaml.indexOf(k) < 0) {
                yaml.append("  ").append(k).append(": ").append(v).append('\n');
            }
            if (docker.indexOf(k) < 0) {
                docker.append("LABEL ").append(k).append('=').append(v).append('\n');
            }
        });
        if (docker.indexOf("COPY tests/scorecard") < 0) {
            docker.append("COPY tests/scorecard /tests/scorecard/\n");
        }
        Files.writeString(annotations, yaml);
        Files.writeString(dockerfile, docker);
    }

    public static Path csvFile(Path manifests) throws IOException {
        try (Stream<Path> files = Files.list(manifests)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".clusterserviceversion.yaml")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no CSV in " + manifests));
        }
    }

    public static List<CustomResourceDefinition> crds(Path manifests) throws IOException {
        List<CustomResourceDefinition> crds = new ArrayList<>();
        try (Stream<Path> files = Files.list(manifests)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".crd.yml")).sorted().toList()) {
                crds.add(SERIALIZATION.unmarshal(Files.readString(f), CustomResourceDefinition.class));
            }
        }
        return crds;
    }

    /** The custom resources of a samples file (its Secrets are only there to make the sample work). */
    public static List<HasMetadata> examples(Path samples) throws IOException {
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : Files.readString(samples).split("(?m)^---\\s*$")) {
            if (doc.lines().noneMatch(l -> l.startsWith("kind:"))) {
                continue;
            }
            GenericKubernetesResource r = SERIALIZATION.unmarshal(doc, GenericKubernetesResource.class);
            if (r.getApiVersion().startsWith("import.glance.openstack.org/")) {
                out.add(r);
            }
        }
        return out;
    }

    /** Canonical: the generator's Deployment comes with labels and env vars in a build-dependent order. */
    public static String toYaml(ClusterServiceVersion csv) {
        return Canonical.yaml(SERIALIZATION.asYaml(csv));
    }

    public static ClusterServiceVersion finish(ClusterServiceVersion csv, List<CustomResourceDefinition> crds, List<HasMetadata> examples) {
        for (CRDDescription owned : csv.getSpec().getCustomresourcedefinitions().getOwned()) {
            CustomResourceDefinition crd = crds.stream().filter(c -> c.getMetadata().getName().equals(owned.getName())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("CSV owns " + owned.getName() + " but the bundle has no such CRD"));
            CustomResourceDefinitionVersion version = crd.getSpec().getVersions().stream()
                    .filter(v -> v.getName().equals(owned.getVersion())).findFirst().orElseThrow();
            String[] texts = KINDS.getOrDefault(owned.getKind(), new String[] { humanize(owned.getKind()), owned.getKind() });
            owned.setDisplayName(texts[0]);
            owned.setDescription(texts[1]);
            JSONSchemaProps schema = version.getSchema().getOpenAPIV3Schema();
            owned.setSpecDescriptors(specDescriptors(schema.getProperties().get("spec")));
            owned.setResources(OWNED_RESOURCES.getOrDefault(owned.getKind(), List.of()));
            owned.setStatusDescriptors(statusDescriptors(schema.getProperties().get("status")));
        }
        csv.getSpec().setRelatedImages(relatedImages(csv));
        Map<String, String> annotations = new LinkedHashMap<>(csv.getMetadata().getAnnotations());
        annotations.put("alm-examples", almExamples(examples));
        annotations.putAll(HUB_ANNOTATIONS);
        csv.getMetadata().setAnnotations(annotations);
        return csv;
    }

    private static final String UI = "urn:alm:descriptor:com.tectonic.ui:";
    private static final String PICK = "urn:alm:descriptor:io.kubernetes:";
    /** Kubernetes' own types: one widget each, never unfolded into their (large) schemas. */
    private static final Map<String, String> WHOLE = Map.of("resources", UI + "resourceRequirements", "nodeSelector", UI + "advanced",
            "tolerations", UI + "advanced", "affinity", UI + "advanced");

    /**
     * A descriptor for every field of the spec, nested ones included ({@code storage.size}, {@code stores[0].rbd.secretName}),
     * so that the console's "Create" form shows each field with its widget: pod counts, pickers for the Secrets, the
     * GlanceImportStaging and the StorageClass it refers to, selects for enums, switches for booleans.
     */
    static List<SpecDescriptor> specDescriptors(JSONSchemaProps spec) {
        List<SpecDescriptor> out = new ArrayList<>();
        walk(spec, "", null, (path, name, prop, group) -> {
            SpecDescriptor d = new SpecDescriptor();
            d.setPath(path);
            d.setDisplayName(humanize(name));
            d.setDescription(prop.getDescription());
            List<String> x = new ArrayList<>();
            if (group != null) {
                x.add(group);
            }
            x.add(specWidget(name, prop));
            d.setXDescriptors(x);
            out.add(d);
        });
        return out;
    }

    /** Visits every field below {@code schema}: objects unfold into fieldGroups, arrays of objects into arrayFieldGroups. */
    interface FieldVisitor {
        void field(String path, String name, JSONSchemaProps prop, String group);
    }

    static void walk(JSONSchemaProps schema, String prefix, String group, FieldVisitor visitor) {
        schema.getProperties().forEach((name, prop) -> {
            String path = prefix + name;
            boolean object = "object".equals(prop.getType()) && prop.getProperties() != null && !prop.getProperties().isEmpty();
            boolean objects = "array".equals(prop.getType()) && prop.getItems() != null && prop.getItems().getSchema() != null
                    && prop.getItems().getSchema().getProperties() != null && !prop.getItems().getSchema().getProperties().isEmpty();
            if (WHOLE.containsKey(name) || name.equals("conditions") || (!object && !objects)) {
                visitor.field(path, name, prop, group);
            } else if (object) {
                walk(prop, path + ".", group != null ? group : UI + "fieldGroup:" + name, visitor);
            } else {
                walk(prop.getItems().getSchema(), path + "[0].", group != null ? group : UI + "arrayFieldGroup:" + name, visitor);
            }
        });
    }

    static String specWidget(String name, JSONSchemaProps prop) {
        if (WHOLE.containsKey(name)) {
            return WHOLE.get(name);
        }
        if (name.equals("replicas")) {
            return UI + "podCount";
        }
        if (name.equals("stagingRef")) {
            return PICK + GlanceAPI.GROUP + ":" + GlanceAPI.VERSION + ":GlanceImportStaging";
        }
        if (name.endsWith("Secret") || name.endsWith("secretName") || name.endsWith("SecretName")) {
            return PICK + "Secret";
        }
        if (name.equals("storageClassName")) {
            return PICK + "StorageClass";
        }
        if (name.equals("customServiceConfig") || name.equals("containerImage") || name.equals("proxyImage") || name.equals("port")) {
            return UI + "advanced";
        }
        if (prop.getEnum() != null && !prop.getEnum().isEmpty()) {
            return UI + "select:" + String.join(",", prop.getEnum().stream().map(e -> e.asText()).toList());
        }
        if ("boolean".equals(prop.getType())) {
            return UI + "booleanSwitch";
        }
        if ("integer".equals(prop.getType())) {
            return UI + "number";
        }
        return UI + "text";
    }

    /** Health on the details page: conditions, pod counts, the endpoint, each pod's claim and URL. */
    static List<StatusDescriptor> statusDescriptors(JSONSchemaProps status) {
        List<StatusDescriptor> out = new ArrayList<>();
        walk(status, "", null, (path, name, prop, group) -> {
            StatusDescriptor d = new StatusDescriptor();
            d.setPath(path);
            d.setDisplayName(humanize(name));
            d.setDescription(prop.getDescription());
            d.setXDescriptors(List.of(statusWidget(path, name)));
            out.add(d);
        });
        return out;
    }

    static String statusWidget(String path, String name) {
        if (name.equals("conditions")) {
            return CONDITIONS;
        }
        if (name.equals("replicas") || name.equals("readyReplicas")) {
            return UI + "podCount";
        }
        if (name.equals("endpoint") || name.equals("url")) {
            return "urn:alm:descriptor:org.w3:link";
        }
        if (name.equals("claim")) {
            return PICK + "PersistentVolumeClaim";
        }
        if (name.equals("pod")) {
            return PICK + "Pod";
        }
        if (name.equals("configMap")) {
            return PICK + "ConfigMap";
        }
        if (name.equals("cronJob")) {
            return PICK + "CronJob";
        }
        return "urn:alm:descriptor:text";
    }

    /** The operand images the Deployment pins through RELATED_IMAGE_* (for disconnected mirroring), and the operator's. */
    static List<RelatedImage> relatedImages(ClusterServiceVersion csv) {
        List<RelatedImage> out = new ArrayList<>();
        csv.getSpec().getInstall().getSpec().getDeployments().forEach(d -> d.getSpec().getTemplate().getSpec().getContainers()
                .forEach(c -> {
                    out.add(new RelatedImage(c.getImage(), c.getName()));
                    c.getEnv().stream().filter(e -> e.getName().startsWith("RELATED_IMAGE_") && e.getValue() != null)
                            .forEach(e -> out.add(new RelatedImage(e.getValue(),
                                    e.getName().substring("RELATED_IMAGE_".length()).toLowerCase().replace('_', '-'))));
                }));
        return out;
    }

    static String almExamples(List<HasMetadata> examples) {
        try {
            return SERIALIZATION.convertValue(examples, List.class) == null ? "[]"
                    : new com.fasterxml.jackson.databind.ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(SERIALIZATION.convertValue(examples, List.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** replicas -> Replicas, stagingRef -> Staging Ref, GlanceAPI -> Glance API. */
    static String humanize(String camel) {
        String spaced = camel.replaceAll("([a-z0-9])([A-Z])", "$1 $2");
        return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }
}
