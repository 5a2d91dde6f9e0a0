package org.openstack.glanceimport.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import org.junit.jupiter.api.Test;

/**
 * The CEL rules of the GlanceAPI CRD as shipped (helm/crds, which CrdDriftTest keeps equal to what the build generates),
 * evaluated by a CEL implementation on GlanceAPI specs, the way the API server evaluates them on create. The fabric8
 * mock server used elsewhere does not run CEL, so without this the rules would be untested. Rules that need Kubernetes'
 * own CEL libraries (quantity()) or the old object (transition rules) are not evaluated here.
 */
class CelRulesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS).addVar("self", SimpleType.DYN).build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> specSchema() throws IOException {
        return specSchema("glanceapis");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> specSchema(String plural) throws IOException {
        Map<String, Object> crd = YAML.readValue(Files.readString(Path.of("helm/crds/" + plural + ".import.glance.openstack.org-v1.yml")),
                Map.class);
        Map<String, Object> version = ((List<Map<String, Object>>) ((Map<String, Object>) crd.get("spec")).get("versions")).get(0);
        Map<String, Object> root = (Map<String, Object>) ((Map<String, Object>) version.get("schema")).get("openAPIV3Schema");
        return (Map<String, Object>) ((Map<String, Object>) root.get("properties")).get("spec");
    }

    /** The messages of every rule the value breaks, walking schema and value together as the API server does. */
    @SuppressWarnings("unchecked")
    private static List<String> violations(Map<String, Object> schema, Object value) throws Exception {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (Map<String, Object> rule : (List<Map<String, Object>>) schema.getOrDefault("x-kubernetes-validations", List.of())) {
            String expr = (String) rule.get("rule");
            if (expr.contains("oldSelf") || expr.contains("quantity(")) {
                continue;
            }
            Object result = RUNTIME.createProgram(COMPILER.compile(expr).getAst()).eval(Map.of("self", value));
            if (!Boolean.TRUE.equals(result)) {
                out.add((String) rule.get("message"));
            }
        }
        if (value instanceof Map<?, ?> map && schema.get("properties") instanceof Map<?, ?> props) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (props.get(e.getKey()) instanceof Map<?, ?> child) {
                    out.addAll(violations((Map<String, Object>) child, e.getValue()));
                }
            }
        }
        if (value instanceof List<?> list && schema.get("items") instanceof Map<?, ?> items) {
            for (Object item : list) {
                out.addAll(violations((Map<String, Object>) items, item));
            }
        }
        return out;
    }

    /** YAML to the plain values CEL takes: maps, lists, strings, booleans and 64-bit integers. */
    @SuppressWarnings("unchecked")
    private static Object cel(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, cel(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(CelRulesTest::cel).toList();
        }
        return v instanceof Integer i ? Long.valueOf(i) : v;
    }

    private static List<String> check(String specYaml) throws Exception {
        return validate(YAML.readValue(specYaml, Map.class));
    }

    /** As the API server does it: schema defaults first, then the rules. */
    private static List<String> validate(Object spec) throws Exception {
        return validate(specSchema(), spec);
    }

    private static List<String> validate(Map<String, Object> schema, Object spec) throws Exception {
        return violations(schema, withDefaults(schema, cel(spec)));
    }

    @SuppressWarnings("unchecked")
    private static Object withDefaults(Map<String, Object> schema, Object value) {
        if (value instanceof Map<?, ?> map && schema.get("properties") instanceof Map<?, ?> props) {
            Map<String, Object> out = new LinkedHashMap<>((Map<String, Object>) map);
            props.forEach((k, child) -> {
                Map<String, Object> childSchema = (Map<String, Object>) child;
                if (!out.containsKey(k) && childSchema.containsKey("default")) {
                    out.put((String) k, cel(childSchema.get("default")));
                }
                if (out.containsKey(k)) {
                    out.put((String) k, withDefaults(childSchema, out.get(k)));
                }
            });
            return out;
        }
        if (value instanceof List<?> list && schema.get("items") instanceof Map<?, ?> items) {
            return list.stream().map(item -> withDefaults((Map<String, Object>) items, item)).toList();
        }
        return value;
    }

    private static final String CEPH = "{secretName: ceph, pool: images, user: glance}";

    @Test
    void theProductionSampleSatisfiesEveryRule() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> sample = YAML.readValue(Files.readString(Path.of("samples/production.yaml"))
                .substring(Files.readString(Path.of("samples/production.yaml")).indexOf("apiVersion")), Map.class);
        assertEquals(List.of(), validate(sample.get("spec")));
    }

    @Test
    void storeRules() throws Exception {
        assertEquals(List.of("store names must be unique"), check("stores: [{name: a, type: file}, {name: a, type: file}]"));
        assertEquals(List.of("at most one store may be the default"),
                check("stores: [{name: a, type: file, default: true}, {name: b, type: file, default: true}]"));
        assertEquals(List.of(), check("stores: [{name: a, type: file, default: false}, {name: b, type: file, default: true}]"));
        assertEquals(List.of("all rbd stores must use the same Ceph Secret (rbd.secretName): pods mount one Ceph configuration"),
                check("stores: [{name: a, type: rbd, rbd: " + CEPH + "}, {name: b, type: rbd, rbd: {secretName: other, pool: p}}]"));
        assertEquals(List.of(), check("stores: [{name: a, type: rbd, rbd: " + CEPH + "}, {name: b, type: rbd, rbd: {secretName: ceph, pool: "
                + "fast}}, {name: c, type: file}]"));
        assertEquals(List.of("a store of type rbd requires the rbd section (secretName, pool, user)"), check("stores: [{name: a, type: rbd}]"));
        assertEquals(List.of("store name \"default\" is ambiguous with the ini [DEFAULT] section; pick another"),
                check("stores: [{name: default, type: file}]"));
    }

    @Test
    void tlsReservesTheBackendPort() throws Exception {
        assertEquals(List.of("with tls, port 19292 is where glance-api listens behind the TLS proxy; choose another port"),
                check("port: 19292\ntls: {secretName: cert}"));
        assertEquals(List.of(), check("port: 19292"));
        assertEquals(List.of(), check("port: 8443\ntls: {secretName: cert}"));
    }

    @Test
    void sharedStagingMustBeAskedFor() throws Exception {
        Map<String, Object> staging = specSchema("glanceimportstagings");
        assertEquals(List.of("accessMode ReadWriteMany requires allowShared: true; distributed import needs no shared staging"),
                validate(staging, YAML.readValue("storage: {accessMode: ReadWriteMany}", Map.class)));
        assertEquals(List.of(), validate(staging, YAML.readValue("storage: {accessMode: ReadWriteMany, allowShared: true}", Map.class)));
        assertEquals(List.of(), validate(staging, YAML.readValue("storage: {size: 5Gi}", Map.class)));
    }
}
