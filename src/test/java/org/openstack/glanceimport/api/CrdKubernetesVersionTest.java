package org.openstack.glanceimport.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped CRDs use no field that the oldest Kubernetes we support (1.26, OpenShift 4.13) lacks. An unknown field in
 * a CRD fails server-side apply of the CRD there ({@code field not declared in schema}); the fields below are those of
 * apiextensions.k8s.io/v1 in Kubernetes 1.26.
 */
class CrdKubernetesVersionTest {

    /** JSONSchemaProps in 1.26. */
    private static final Set<String> SCHEMA_FIELDS_126 = Set.of("id", "$schema", "$ref", "description", "type", "format", "title",
            "default", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems",
            "minItems", "uniqueItems", "multipleOf", "enum", "maxProperties", "minProperties", "required", "items", "allOf",
            "oneOf", "anyOf", "not", "properties", "additionalProperties", "patternProperties", "dependencies", "additionalItems",
            "definitions", "externalDocs", "example", "nullable", "x-kubernetes-preserve-unknown-fields",
            "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string", "x-kubernetes-list-map-keys",
            "x-kubernetes-list-type", "x-kubernetes-map-type", "x-kubernetes-validations");
    /** ValidationRule in 1.26: messageExpression came in 1.27, reason and fieldPath in 1.28, optionalOldSelf in 1.29. */
    private static final Set<String> VALIDATION_RULE_FIELDS_126 = Set.of("rule", "message");
    /** CustomResourceDefinitionVersion in 1.26 (selectableFields came in 1.30). */
    private static final Set<String> VERSION_FIELDS_126 = Set.of("name", "served", "storage", "deprecated", "deprecationWarning",
            "schema", "subresources", "additionalPrinterColumns");
    private static final Set<String> CRD_SPEC_FIELDS_126 = Set.of("group", "names", "scope", "versions", "conversion",
            "preserveUnknownFields");

    @Test
    @SuppressWarnings("unchecked")
    void shippedCrdsUseOnlyKubernetes126Fields() throws Exception {
        for (Path dir : List.of(Path.of("helm/crds"), Path.of("bundle/manifests"))) {
            List<Path> crds;
            try (var files = Files.list(dir)) {
                crds = files.filter(f -> f.getFileName().toString().contains(".import.glance.openstack.org-v1")).sorted().toList();
            }
            assertEquals(2, crds.size(), "both CRDs in " + dir);
            for (Path file : crds) {
                Map<String, Object> crd = CelRulesTest.YAML.readValue(Files.readString(file), Map.class);
                Map<String, Object> spec = (Map<String, Object>) crd.get("spec");
                List<String> problems = new ArrayList<>(unknown(file + " spec", spec, CRD_SPEC_FIELDS_126));
                for (Map<String, Object> version : (List<Map<String, Object>>) spec.get("versions")) {
                    problems.addAll(unknown(file + " version", version, VERSION_FIELDS_126));
                    Object schema = ((Map<String, Object>) version.get("schema")).get("openAPIV3Schema");
                    problems.addAll(schemaProblems(file + " openAPIV3Schema", schema));
                }
                assertEquals(List.of(), problems, "fields Kubernetes 1.26 does not know");
            }
        }
    }

    @Test
    void theCheckRefusesFieldsNewerThan126() {
        Map<String, Object> schema = Map.of("type", "object", "properties", Map.of("port", Map.of("type", "integer")),
                "x-kubernetes-validations", List.of(Map.of("rule", "self.port > 0", "message", "m", "fieldPath", ".port")));
        List<String> problems = schemaProblems("s", schema);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("fieldPath"));
        assertFalse(schemaProblems("s", Map.of("type", "object", "x-kubernetes-validations",
                List.of(Map.of("rule", "true", "message", "m")))).iterator().hasNext());
    }

    @SuppressWarnings("unchecked")
    private static List<String> schemaProblems(String where, Object node) {
        List<String> out = new ArrayList<>();
        if (!(node instanceof Map<?, ?> map)) {
            return out;
        }
        Map<String, Object> schema = (Map<String, Object>) map;
        out.addAll(unknown(where, schema, SCHEMA_FIELDS_126));
        for (Map<String, Object> rule : (List<Map<String, Object>>) schema.getOrDefault("x-kubernetes-validations", List.of())) {
            out.addAll(unknown(where + " rule " + rule.get("rule"), rule, VALIDATION_RULE_FIELDS_126));
        }
        if (schema.get("properties") instanceof Map<?, ?> props) {
            props.forEach((k, v) -> out.addAll(schemaProblems(where + "." + k, v)));
        }
        for (String child : List.of("items", "additionalProperties", "not")) {
            out.addAll(schemaProblems(where + "." + child, schema.get(child)));
        }
        for (String list : List.of("allOf", "anyOf", "oneOf")) {
            if (schema.get(list) instanceof List<?> items) {
                items.forEach(item -> out.addAll(schemaProblems(where + "." + list, item)));
            }
        }
        return out;
    }

    private static List<String> unknown(String where, Map<String, Object> object, Set<String> known) {
        return object.keySet().stream().filter(k -> !known.contains(k)).map(k -> where + ": " + k).toList();
    }
}
