package org.openstack.glanceimport.api;

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
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CEL rules of the CRDs as shipped (helm/crds, which CrdDriftTest keeps equal to what the build generates),
 * evaluated by a CEL implementation on specs, the way the API server evaluates them on create and update (transition
 * rules with {@code oldSelf}). The fabric8 mock server used elsewhere does not run CEL, so without this the rules would
 * be untested.
 * <p>
 * The environment is the one of the oldest Kubernetes we support, 1.26: the standard CEL library and the strings
 * extension. Kubernetes 1.26 also has its lists, regex and urls libraries, which no rule uses and which are not declared
 * here, so a rule that starts using them fails this test until it is checked against 1.26 and declared. quantity() (1.28)
 * or any later library fails to compile here as it fails CRD creation on 1.26.
 */
class CelRulesTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS).addLibraries(CelExtensions.strings())
            .addVar("self", SimpleType.DYN).addVar("oldSelf", SimpleType.DYN).build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .addLibraries(CelExtensions.strings()).build();
    private static final String[] CRDS = { "glanceapis", "glanceimportstagings" };

    @SuppressWarnings("unchecked")
    private static Map<String, Object> specSchema() throws IOException {
        return specSchema("glanceapis");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> crd(String plural) throws IOException {
        return YAML.readValue(Files.readString(Path.of("helm/crds/" + plural + ".import.glance.openstack.org-v1.yml")), Map.class);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> rootSchema(String plural) throws IOException {
        Map<String, Object> version = ((List<Map<String, Object>>) ((Map<String, Object>) crd(plural).get("spec")).get("versions")).get(0);
        return (Map<String, Object>) ((Map<String, Object>) version.get("schema")).get("openAPIV3Schema");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> specSchema(String plural) throws IOException {
        return (Map<String, Object>) ((Map<String, Object>) rootSchema(plural).get("properties")).get("spec");
    }

    /** The messages of every rule the value breaks on create, walking schema and value together as the API server does. */
    private static List<String> violations(Map<String, Object> schema, Object value) throws Exception {
        return violations(schema, value, null);
    }

    /**
     * The messages of every rule the value breaks; with an old value (an update), transition rules run where the old
     * object has the same field, as on the API server.
     */
    @SuppressWarnings("unchecked")
    private static List<String> violations(Map<String, Object> schema, Object value, Object old) throws Exception {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (Map<String, Object> rule : (List<Map<String, Object>>) schema.getOrDefault("x-kubernetes-validations", List.of())) {
            String expr = (String) rule.get("rule");
            boolean transition = expr.contains("oldSelf");
            if (transition && old == null) {
                continue;
            }
            Object result = RUNTIME.createProgram(COMPILER.compile(expr).getAst())
                    .eval(transition ? Map.of("self", value, "oldSelf", old) : Map.of("self", value));
            if (!Boolean.TRUE.equals(result)) {
                out.add((String) rule.get("message"));
            }
        }
        if (value instanceof Map<?, ?> map && schema.get("properties") instanceof Map<?, ?> props) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (props.get(e.getKey()) instanceof Map<?, ?> child) {
                    Object oldChild = old instanceof Map<?, ?> oldMap ? oldMap.get(e.getKey()) : null;
                    out.addAll(violations((Map<String, Object>) child, e.getValue(), oldChild));
                }
            }
        }
        if (value instanceof List<?> list && schema.get("items") instanceof Map<?, ?> items) {
            for (Object item : list) {
                out.addAll(violations((Map<String, Object>) items, item, null));
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

    /** An update from {@code old} to {@code spec}, both defaulted first. */
    private static List<String> validateUpdate(Map<String, Object> schema, String oldYaml, String newYaml) throws Exception {
        return violations(schema, withDefaults(schema, cel(YAML.readValue(newYaml, Map.class))),
                withDefaults(schema, cel(YAML.readValue(oldYaml, Map.class))));
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
        assertEquals(List.of(), check("stores: [{name: a, type: rbd, rbd: " + CEPH + "}, {name: b, type: rbd, rbd: {secretName: other, pool: p}}]"),
                "each rbd store may name its own Ceph Secret");
        assertEquals(List.of("a store of type s3 requires the s3 section (endpoint, bucket, secretName)"), check("stores: [{name: a, type: s3}]"));
        assertEquals(List.of("a store of type swift requires the swift section (authAddress, secretName)"), check("stores: [{name: a, type: swift}]"));
        assertEquals(List.of("a store may only have the section of its own type (rbd, file, s3 or swift)"),
                check("stores: [{name: a, type: s3, s3: {endpoint: 'http://rgw:7480', bucket: images, secretName: s3}, rbd: " + CEPH + "}]"));
        assertEquals(List.of(), check("stores: [{name: a, type: s3, s3: {endpoint: 'http://rgw:7480', bucket: images, secretName: s3}}, "
                + "{name: b, type: swift, swift: {authAddress: 'http://rgw:7480/auth/1.0', authVersion: '1', secretName: sw}}]"));
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
    void serviceFieldsFitTheirType() throws Exception {
        assertEquals(List.of("loadBalancerIP is only for type LoadBalancer"), check("service: {loadBalancerIP: 192.0.2.10}"));
        assertEquals(List.of("loadBalancerClass is only for type LoadBalancer"),
                check("service: {type: NodePort, loadBalancerClass: metallb}"));
        assertEquals(List.of("externalTrafficPolicy is only for type LoadBalancer or NodePort"),
                check("service: {type: ClusterIP, externalTrafficPolicy: Local}"));
        assertEquals(List.of("nodePort is only for type NodePort or LoadBalancer"), check("service: {nodePort: 30292}"));
        assertEquals(List.of(), check("service: {type: LoadBalancer, loadBalancerIP: 192.0.2.10, loadBalancerClass: metallb, "
                + "externalTrafficPolicy: Local, nodePort: 30292, annotations: {metallb.universe.tf/address-pool: openstack}}"));
        assertEquals(List.of(), check("service: {type: NodePort, externalTrafficPolicy: Cluster, nodePort: 30292}"));
        assertEquals(List.of(), check("service: {annotations: {a: b}, labels: {team: images}}"));
    }

    /** The rule's list of keys is Names.labels' keys: a label the operator adds later must be refused too. */
    @Test
    void serviceLabelsMayNotReplaceTheOperatorsOwn() throws Exception {
        var api = new GlanceAPI();
        api.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("g").build());
        for (String key : org.openstack.glanceimport.naming.Names.labels(api).keySet()) {
            List<String> refused = check("service: {labels: {'" + key + "': x}}");
            assertEquals(1, refused.size(), key);
            assertTrue(refused.get(0).startsWith("labels may not set the operator's own keys"), refused.get(0));
        }
    }

    @Test
    void routeTerminationFitsTls() throws Exception {
        String message = "route.termination: passthrough and reencrypt need tls (without it the pods serve plain http: use edge), "
                + "and with tls the pods serve https only, which edge cannot forward to (use reencrypt or passthrough)";
        assertEquals(List.of(message), check("route: {termination: passthrough}"));
        assertEquals(List.of(message), check("route: {termination: reencrypt}"));
        assertEquals(List.of(message), check("route: {}\ntls: {secretName: cert}"));
        assertEquals(List.of(), check("route: {}"));
        assertEquals(List.of(), check("route: {termination: edge, host: glance.apps.example.com}"));
        assertEquals(List.of(), check("route: {termination: reencrypt}\ntls: {secretName: cert}"));
        assertEquals(List.of(), check("route: {termination: passthrough}\ntls: {secretName: cert}"));
    }

    @Test
    void sharedStagingMustBeAskedFor() throws Exception {
        Map<String, Object> staging = specSchema("glanceimportstagings");
        assertEquals(List.of("accessMode ReadWriteMany requires allowShared: true; distributed import needs no shared staging"),
                validate(staging, YAML.readValue("storage: {accessMode: ReadWriteMany}", Map.class)));
        assertEquals(List.of(), validate(staging, YAML.readValue("storage: {accessMode: ReadWriteMany, allowShared: true}", Map.class)));
        assertEquals(List.of(), validate(staging, YAML.readValue("storage: {size: 5Gi}", Map.class)));
    }

    @Test
    void stagingClassAndModeCannotChange() throws Exception {
        Map<String, Object> staging = specSchema("glanceimportstagings");
        assertEquals(List.of("accessMode cannot be changed: existing staging claims keep their mode; create a new GlanceImportStaging instead"),
                validateUpdate(staging, "storage: {accessMode: ReadWriteOncePod}", "storage: {accessMode: ReadWriteOnce}"));
        assertEquals(List.of("storageClassName cannot be changed: existing staging claims keep their class; create a new "
                + "GlanceImportStaging instead"), validateUpdate(staging, "storage: {storageClassName: a}", "storage: {storageClassName: b}"));
        assertEquals(List.of("storageClassName cannot be changed: existing staging claims keep their class; create a new "
                + "GlanceImportStaging instead"), validateUpdate(staging, "storage: {}", "storage: {storageClassName: b}"));
        // growing the claims, and changing what is not pinned, are updates like any other
        assertEquals(List.of(), validateUpdate(staging, "storage: {size: 10Gi, accessMode: ReadWriteOncePod, storageClassName: a}",
                "storage: {size: 20Gi, accessMode: ReadWriteOncePod, storageClassName: a}\ndecompression: {enabled: true}"));
    }

    @Test
    void namesThatCannotWorkAreRefusedAtCreate() throws Exception {
        Map<String, Object> root = rootSchema("glanceapis");
        String ok = "g" + "n".repeat(GlanceAPI.MAX_NAME_LENGTH - 1);
        assertEquals(List.of(), violations(root, Map.of("metadata", Map.of("name", ok))));
        assertEquals(List.of(GlanceAPI.NAME_LENGTH_MESSAGE), violations(root, Map.of("metadata", Map.of("name", ok + "n"))));
        assertEquals(List.of(GlanceAPI.NAME_FORMAT_MESSAGE), violations(root, Map.of("metadata", Map.of("name", "1glance"))));
        assertEquals(List.of(GlanceAPI.NAME_FORMAT_MESSAGE), violations(root, Map.of("metadata", Map.of("name", "glance.api"))));
        assertEquals(List.of(GlanceImportStaging.NAME_LENGTH_MESSAGE), violations(rootSchema("glanceimportstagings"),
                Map.of("metadata", Map.of("name", "s".repeat(64)))));
    }

    /** Every rule of every shipped CRD compiles in the Kubernetes 1.26 environment (an unknown function fails CRD creation). */
    @Test
    void everyRuleCompilesWithTheCelOfKubernetes126() throws Exception {
        int rules = 0;
        for (String plural : CRDS) {
            for (String rule : rules(rootSchema(plural))) {
                var result = COMPILER.compile(rule);
                assertTrue(result.hasError() == false, plural + ": " + rule + " does not compile on Kubernetes 1.26: "
                        + result.getAllIssues());
                rules++;
            }
        }
        assertTrue(rules >= 8, "found only " + rules + " rules: is the walk still reaching them?");
        // the check itself refuses what 1.26 lacks
        assertTrue(COMPILER.compile("quantity(string(self.size)).compareTo(quantity(string(oldSelf.size))) >= 0").hasError());
    }

    @SuppressWarnings("unchecked")
    private static List<String> rules(Object schema) {
        List<String> out = new ArrayList<>();
        if (schema instanceof Map<?, ?> raw) {
            Map<String, Object> map = (Map<String, Object>) raw;
            for (Map<String, Object> rule : (List<Map<String, Object>>) map.getOrDefault("x-kubernetes-validations", List.of())) {
                out.add((String) rule.get("rule"));
            }
            map.forEach((k, v) -> {
                if (!"x-kubernetes-validations".equals(k)) {
                    out.addAll(rules(v));
                }
            });
        } else if (schema instanceof List<?> list) {
            list.forEach(item -> out.addAll(rules(item)));
        }
        return out;
    }
}
