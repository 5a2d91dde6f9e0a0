package org.openstack.glanceimport.delivery;

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

/**
 * Completes the CSV that the QOSDK bundle generator writes with what that generator cannot express: display names and
 * descriptions of the owned CRDs, spec and status descriptors, relatedImages and alm-examples. Everything is derived from
 * inputs that are themselves generated or checked in (the CRDs next to the CSV, the operator Deployment's RELATED_IMAGE_*
 * variables, samples/minimal.yaml), so the result is a pure function of them: {@code make bundle} runs it after copying
 * the generator's output, and {@code BundleConsistencyTest} checks that running it again changes nothing.
 *
 * <p>
 * Usage: {@code BundleFinisher <manifests-dir> [<samples-file>]}; rewrites the CSV in place.
 */
public final class BundleFinisher {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    static final String CONDITIONS = "urn:alm:descriptor:io.kubernetes.conditions";

    /** Authored texts for the OperatorHub UI; the rest is derived. */
    private static final Map<String, String[]> KINDS = Map.of(
            "GlanceAPI", new String[] { "Glance API",
                    "A Glance image API: a StatefulSet of glance-api pods, each with its own staging volume and its own "
                            + "worker_self_reference_url, plus its Services, configuration and PodDisruptionBudget." },
            "GlanceImportStaging", new String[] { "Glance Import Staging",
                    "Staging volume and import pipeline policy (size, class, retention, import methods, conversion, "
                            + "filtering) shared by any number of GlanceAPIs in the namespace." });

    private BundleFinisher() {
    }

    public static void main(String[] args) throws IOException {
        Path manifests = Path.of(args[0]);
        Path samples = Path.of(args.length > 1 ? args[1] : "samples/minimal.yaml");
        Path csvFile = csvFile(manifests);
        ClusterServiceVersion csv = SERIALIZATION.unmarshal(Files.readString(csvFile), ClusterServiceVersion.class);
        String finished = toYaml(finish(csv, crds(manifests), examples(samples)));
        Files.writeString(csvFile, finished);
    }

    static Path csvFile(Path manifests) throws IOException {
        try (Stream<Path> files = Files.list(manifests)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".clusterserviceversion.yaml")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no CSV in " + manifests));
        }
    }

    static List<CustomResourceDefinition> crds(Path manifests) throws IOException {
        List<CustomResourceDefinition> crds = new ArrayList<>();
        try (Stream<Path> files = Files.list(manifests)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".crd.yml")).sorted().toList()) {
                crds.add(SERIALIZATION.unmarshal(Files.readString(f), CustomResourceDefinition.class));
            }
        }
        return crds;
    }

    /** The custom resources of a samples file (its Secrets are only there to make the sample work). */
    static List<HasMetadata> examples(Path samples) throws IOException {
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
    static String toYaml(ClusterServiceVersion csv) {
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
            owned.setStatusDescriptors(statusDescriptors(schema.getProperties().get("status")));
        }
        csv.getSpec().setRelatedImages(relatedImages(csv));
        Map<String, String> annotations = new LinkedHashMap<>(csv.getMetadata().getAnnotations());
        annotations.put("alm-examples", almExamples(examples));
        csv.getMetadata().setAnnotations(annotations);
        return csv;
    }

    static List<SpecDescriptor> specDescriptors(JSONSchemaProps spec) {
        List<SpecDescriptor> out = new ArrayList<>();
        spec.getProperties().forEach((name, prop) -> {
            SpecDescriptor d = new SpecDescriptor();
            d.setPath(name);
            d.setDisplayName(humanize(name));
            d.setDescription(prop.getDescription());
            d.setXDescriptors(specXDescriptors(name, prop));
            out.add(d);
        });
        return out;
    }

    static List<String> specXDescriptors(String name, JSONSchemaProps prop) {
        if (name.equals("replicas")) {
            return List.of("urn:alm:descriptor:com.tectonic.ui:podCount");
        }
        if (name.endsWith("Secret")) {
            return List.of("urn:alm:descriptor:io.kubernetes:Secret");
        }
        if (name.equals("resources")) {
            return List.of("urn:alm:descriptor:com.tectonic.ui:resourceRequirements");
        }
        if (name.equals("nodeSelector") || name.equals("tolerations") || name.equals("affinity")
                || name.equals("customServiceConfig") || name.equals("containerImage") || name.equals("port")) {
            return List.of("urn:alm:descriptor:com.tectonic.ui:advanced");
        }
        if ("integer".equals(prop.getType())) {
            return List.of("urn:alm:descriptor:com.tectonic.ui:number");
        }
        if ("string".equals(prop.getType())) {
            return List.of("urn:alm:descriptor:com.tectonic.ui:text");
        }
        return List.of("urn:alm:descriptor:com.tectonic.ui:fieldGroup:" + name);
    }

    static List<StatusDescriptor> statusDescriptors(JSONSchemaProps status) {
        List<StatusDescriptor> out = new ArrayList<>();
        status.getProperties().forEach((name, prop) -> {
            StatusDescriptor d = new StatusDescriptor();
            d.setPath(name);
            d.setDisplayName(humanize(name));
            d.setDescription(prop.getDescription());
            d.setXDescriptors(List.of(name.equals("conditions") ? CONDITIONS : "urn:alm:descriptor:text"));
            out.add(d);
        });
        return out;
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
