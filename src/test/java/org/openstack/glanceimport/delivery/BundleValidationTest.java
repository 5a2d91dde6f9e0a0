package org.openstack.glanceimport.delivery;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.ClusterServiceVersion;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.InstallMode;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.delivery.ExpectedRbac.Grant;

/**
 * The rules of operator-framework's bundle validators (operator-sdk bundle validate --select-optional
 * suite=operatorframework: the operatorhub and good-practices validators) that apply to this bundle, checked on the
 * checked-in bundle. The validators themselves are Go and not available here.
 */
class BundleValidationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ClusterServiceVersion csv = Manifests.csv();
    private final Map<String, String> annotations = csv.getMetadata().getAnnotations();

    /** OperatorHub's categories and capability levels (operatorhub validator). */
    private static final Set<String> CATEGORIES = Set.of("AI/Machine Learning", "Application Runtime", "Big Data", "Cloud Provider",
            "Developer Tools", "Database", "Integration & Delivery", "Logging & Tracing", "Monitoring", "Modernization & Migration",
            "Networking", "OpenShift Optional", "Security", "Storage", "Streaming & Messaging", "Drivers and plugins");
    private static final Set<String> CAPABILITIES = Set.of("Basic Install", "Seamless Upgrades", "Full Lifecycle", "Deep Insights",
            "Auto Pilot");
    private static final Set<String> FEATURES = Set.of("disconnected", "fips-compliant", "proxy-aware", "tls-profiles",
            "token-auth-aws", "token-auth-azure", "token-auth-gcp", "cnf", "cni", "csi");
    /** API versions deprecated or removed by Kubernetes 1.26 or later (good-practices: no deprecated APIs). */
    private static final Set<String> DEPRECATED = Set.of("extensions/v1beta1", "apps/v1beta1", "apps/v1beta2", "policy/v1beta1",
            "batch/v1beta1", "autoscaling/v2beta1", "autoscaling/v2beta2", "apiextensions.k8s.io/v1beta1",
            "rbac.authorization.k8s.io/v1beta1", "storage.k8s.io/v1beta1", "flowcontrol.apiserver.k8s.io/v1beta1",
            "flowcontrol.apiserver.k8s.io/v1beta2", "flowcontrol.apiserver.k8s.io/v1beta3", "discovery.k8s.io/v1beta1",
            "networking.k8s.io/v1beta1", "scheduling.k8s.io/v1beta1", "coordination.k8s.io/v1beta1", "events.k8s.io/v1beta1",
            "admissionregistration.k8s.io/v1beta1", "certificates.k8s.io/v1beta1", "node.k8s.io/v1beta1");
    private static final Pattern SEMVER = Pattern.compile("^\\d+\\.\\d+\\.\\d+$");

    /** operatorhub: required CSV fields and annotations, with values from the allowed sets. */
    @Test
    void csvHasWhatOperatorHubRequires() {
        var spec = csv.getSpec();
        assertNotNull(spec.getDisplayName());
        assertTrue(spec.getDescription().length() > 100, "a real description");
        assertTrue(SEMVER.matcher(spec.getVersion()).matches(), spec.getVersion());
        assertTrue(SEMVER.matcher(spec.getMinKubeVersion()).matches(), spec.getMinKubeVersion());
        assertTrue(Integer.parseInt(spec.getMinKubeVersion().split("\\.")[1]) <= 26, "installs on 1.26 (OpenShift 4.13)");
        assertFalse(spec.getMaintainers().isEmpty());
        spec.getMaintainers().forEach(m -> assertTrue(m.getEmail().contains("@"), m.getEmail()));
        assertNotNull(spec.getProvider().getName());
        assertFalse(spec.getLinks().isEmpty());
        spec.getLinks().forEach(l -> assertTrue(l.getUrl().startsWith("https://"), l.getUrl()));
        assertFalse(spec.getIcon().isEmpty());
        assertFalse(spec.getKeywords().isEmpty());
        assertTrue(Set.of("planning", "pre-alpha", "alpha", "beta", "stable", "mature", "inactive", "deprecated").contains(spec.getMaturity()));
        assertTrue(CAPABILITIES.contains(annotations.get("capabilities")), annotations.get("capabilities"));
        for (String category : annotations.get("categories").split(",")) {
            assertTrue(CATEGORIES.contains(category.strip()), category);
        }
        assertEquals(spec.getInstall().getSpec().getDeployments().get(0).getSpec().getTemplate().getSpec().getContainers().get(0)
                .getImage(), annotations.get("containerImage"));
        assertTrue(annotations.get("repository").startsWith("https://"));
        assertNotNull(annotations.get("operatorframework.io/suggested-namespace"));
        for (String feature : FEATURES) {
            String value = annotations.get("features.operators.openshift.io/" + feature);
            assertTrue("true".equals(value) || "false".equals(value), feature + ": " + value);
        }
        // disconnected is true only if every operand image is in relatedImages, overridable, and pinned by digest
        boolean digests = spec.getRelatedImages().stream().allMatch(i -> i.getImage().contains("@sha256:"));
        assertEquals(Boolean.toString(digests), annotations.get("features.operators.openshift.io/disconnected"));
    }

    /** operatorhub: alm-examples parse and are valid custom resources of the shipped CRDs. */
    @Test
    void almExamplesValidateAgainstTheShippedSchemas() throws Exception {
        JsonNode examples = JSON.readTree(annotations.get("alm-examples"));
        assertTrue(examples.isArray() && examples.size() >= 2);
        Set<String> kinds = new TreeSet<>();
        for (JsonNode example : examples) {
            CustomResourceDefinition crd = crdOf(example.get("apiVersion").asText(), example.get("kind").asText());
            List<String> errors = new ArrayList<>();
            validate(crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec"), example.get("spec"),
                    "spec", errors);
            assertEquals(List.of(), errors, example.get("kind").asText());
            kinds.add(example.get("kind").asText());
        }
        assertEquals(Set.of("GlanceAPI", "GlanceImportStaging"), kinds, "an example of every owned kind");
    }

    @Test
    void theSchemaCheckRefusesABadExample() throws Exception {
        CustomResourceDefinition crd = crdOf("import.glance.openstack.org/v1beta1", "GlanceAPI");
        JSONSchemaProps spec = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        List<String> errors = new ArrayList<>();
        validate(spec, JSON.readTree("{\"replicas\":\"three\",\"port\":80,\"stores\":[{\"type\":\"nfs\"}],\"colour\":1}"), "spec", errors);
        assertTrue(errors.contains("spec: missing required stagingRef"), errors.toString());
        assertTrue(errors.contains("spec.replicas: not an integer"), errors.toString());
        assertTrue(errors.contains("spec.port: below the minimum 1024"), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("spec.stores[0].type: \"nfs\" is not one of")), errors.toString());
        assertTrue(errors.contains("spec.colour: unknown field"), errors.toString());
    }

    /** operatorhub: owned CRDs have descriptors and say what they create. */
    @Test
    void ownedCrdsHaveDescriptorsAndResources() {
        for (var owned : csv.getSpec().getCustomresourcedefinitions().getOwned()) {
            assertFalse(owned.getSpecDescriptors().isEmpty(), owned.getKind());
            assertFalse(owned.getStatusDescriptors().isEmpty(), owned.getKind());
            assertFalse(owned.getResources().isEmpty(), owned.getKind());
        }
    }

    /** good-practices: nothing shipped or created uses an API deprecated for Kubernetes 1.26 and later. */
    @Test
    void noDeprecatedApisForTheDeclaredRange() {
        Set<String> used = new TreeSet<>();
        for (Path f : Manifests.files(Manifests.BUNDLE_MANIFESTS, ".yml")) {
            used.add(Manifests.crd(f).getApiVersion());
        }
        used.add(csv.getApiVersion());
        Manifests.objects(Manifests.read(Manifests.CHART.resolve("templates/clusterrole.yaml"))).forEach(o -> used.add(o.getApiVersion()));
        HelmRender.template("ns", Map.of()).forEach(o -> used.add(o.getApiVersion()));
        for (var reconciler : ExpectedRbac.RECONCILERS) {
            // a reconciler without dependents (KeystoneDeregistrationReconciler) declares no workflow
            Workflow workflow = reconciler.getAnnotation(Workflow.class);
            for (Dependent d : workflow == null ? new Dependent[0] : workflow.dependents()) {
                used.add(HasMetadata.getApiVersion(ExpectedRbac.typeArgument(d.type(), KubernetesDependentResource.class)));
            }
        }
        used.retainAll(DEPRECATED);
        assertEquals(Set.of(), used);
    }

    /**
     * good-practices / OLM: with AllNamespaces and MultiNamespace supported, OLM grants spec.install.permissions in the
     * operator's namespace only, so what the operator needs in watched namespaces must be in clusterPermissions.
     */
    @Test
    void installModesAgreeWithTheRbac() {
        boolean beyondOwn = csv.getSpec().getInstallModes().stream().anyMatch(m -> m.getSupported() && !m.getType().equals("OwnNamespace"));
        assertTrue(beyondOwn);
        var strategy = csv.getSpec().getInstall().getSpec();
        Set<Grant> cluster = ExpectedRbac.expand(strategy.getClusterPermissions().stream().flatMap(p -> p.getRules().stream()).toList());
        assertTrue(cluster.containsAll(ExpectedRbac.all()), "every needed grant is cluster-wide");
        assertTrue(csv.getSpec().getInstallModes().stream().map(InstallMode::getType).toList()
                .containsAll(List.of("OwnNamespace", "SingleNamespace", "MultiNamespace", "AllNamespaces")), "every mode is declared");
    }

    private static CustomResourceDefinition crdOf(String apiVersion, String kind) {
        return Manifests.files(Manifests.BUNDLE_MANIFESTS, ".crd.yml").stream().map(Manifests::crd)
                .filter(c -> apiVersion.startsWith(c.getSpec().getGroup() + "/") && c.getSpec().getNames().getKind().equals(kind))
                .findFirst().orElseThrow(() -> new AssertionError("no CRD for " + apiVersion + " " + kind));
    }

    /** A structural-schema check of a value: types, required, enums, bounds, patterns, unknown fields. */
    static void validate(JSONSchemaProps schema, JsonNode value, String at, List<String> errors) {
        if (value == null || value.isNull()) {
            return;
        }
        boolean intOrString = Boolean.TRUE.equals(schema.getXKubernetesIntOrString());
        String type = schema.getType();
        if (!intOrString && type != null) {
            boolean ok = switch (type) {
                case "object" -> value.isObject();
                case "array" -> value.isArray();
                case "string" -> value.isTextual();
                case "integer" -> value.isIntegralNumber();
                case "number" -> value.isNumber();
                case "boolean" -> value.isBoolean();
                default -> true;
            };
            if (!ok) {
                errors.add(at + ": not " + (type.equals("integer") || type.equals("array") || type.equals("object") ? "an " : "a ") + type);
                return;
            }
        }
        if (schema.getEnum() != null && !schema.getEnum().isEmpty() && schema.getEnum().stream().noneMatch(e -> e.equals(value))) {
            errors.add(at + ": " + value + " is not one of " + schema.getEnum());
        }
        if (value.isNumber() && schema.getMinimum() != null && value.asDouble() < schema.getMinimum()) {
            errors.add(at + ": below the minimum " + schema.getMinimum().intValue());
        }
        if (value.isNumber() && schema.getMaximum() != null && value.asDouble() > schema.getMaximum()) {
            errors.add(at + ": above the maximum " + schema.getMaximum().intValue());
        }
        if (value.isTextual() && schema.getPattern() != null && !Pattern.compile(schema.getPattern()).matcher(value.asText()).find()) {
            errors.add(at + ": does not match " + schema.getPattern());
        }
        if (value.isTextual() && schema.getMaxLength() != null && value.asText().length() > schema.getMaxLength()) {
            errors.add(at + ": longer than " + schema.getMaxLength());
        }
        if (value.isArray()) {
            if (schema.getMaxItems() != null && value.size() > schema.getMaxItems()) {
                errors.add(at + ": more than " + schema.getMaxItems() + " items");
            }
            for (int i = 0; i < value.size(); i++) {
                if (schema.getItems() != null && schema.getItems().getSchema() != null) {
                    validate(schema.getItems().getSchema(), value.get(i), at + "[" + i + "]", errors);
                }
            }
        }
        if (value.isObject() && schema.getProperties() != null && !schema.getProperties().isEmpty()) {
            for (String required : schema.getRequired() == null ? List.<String>of() : schema.getRequired()) {
                if (!value.has(required)) {
                    errors.add(at + ": missing required " + required);
                }
            }
            value.fieldNames().forEachRemaining(name -> {
                JSONSchemaProps child = schema.getProperties().get(name);
                if (child == null) {
                    if (!Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())) {
                        errors.add(at + "." + name + ": unknown field");
                    }
                } else {
                    validate(child, value.get(name), at + "." + name, errors);
                }
            });
        }
    }
}
