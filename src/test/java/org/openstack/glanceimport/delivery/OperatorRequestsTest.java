package org.openstack.glanceimport.delivery;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.runtime.OperatorUserAgent;
import org.openstack.glanceimport.support.RecordingApiServer;

/**
 * What the operator really sent during this test run (every request the mock API server received from the operator's
 * client, recorded by {@link RecordingApiServer}), checked against what it ships:
 * <ul>
 * <li>each request is allowed by the Helm chart's ClusterRoles and by the CSV's permissions (a missing verb, such as
 * patch on the leader Lease, crash-loops the operator on a real cluster);</li>
 * <li>no write to a GlanceAPI or GlanceImportStaging carries a spec: the operator owns finalizers and status only.</li>
 * </ul>
 * Runs after the reconciler tests: Quarkus' class orderer (quarkus-junit5-config) runs every @QuarkusTest before the
 * plain tests such as this one.
 */
public class OperatorRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Allowed to every authenticated user by the default roles (system:discovery, system:basic-user). */
    private static final Set<String> FOR_EVERYONE = Set.of("authorization.k8s.io/selfsubjectrulesreviews:create",
            "authorization.k8s.io/selfsubjectaccessreviews:create");

    /** One request, as the API server's authorizer sees it. */
    record Request(String verb, String group, String resource, boolean namespaced, String method, String path, String body) {
        String grant() {
            return group + "/" + resource + ":" + verb;
        }
    }

    private static List<Request> operatorRequests;

    @BeforeAll
    static void read() throws IOException {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        operatorRequests = new ArrayList<>();
        if (!Files.isDirectory(RecordingApiServer.DIR)) {
            return;
        }
        try (Stream<Path> files = Files.list(RecordingApiServer.DIR)) {
            for (Path file : files.sorted().toList()) {
                if (Files.getLastModifiedTime(file).toMillis() < jvmStart) {
                    continue; // an earlier run's
                }
                for (String line : Files.readAllLines(file)) {
                    JsonNode r = JSON.readTree(line);
                    String agent = r.path("userAgent").asText("");
                    if (agent.startsWith(OperatorUserAgent.PRODUCT + "/")) {
                        parse(r.get("method").asText(), r.get("path").asText(), r.path("body").asText(null)).ifPresent(operatorRequests::add);
                    }
                }
            }
        }
    }

    /** The authorizer's view of a request; empty for non-resource requests (discovery, /version). */
    static java.util.Optional<Request> parse(String method, String path, String body) {
        URI uri = URI.create(path);
        String[] p = uri.getPath().replaceAll("^/+", "").split("/");
        String group;
        int i;
        if (p[0].equals("api") && p.length >= 3) {
            group = "";
            i = 2;
        } else if (p[0].equals("apis") && p.length >= 4) {
            group = p[1];
            i = 3;
        } else {
            return java.util.Optional.empty();
        }
        boolean namespaced = false;
        if (p[i].equals("namespaces") && p.length - i >= 3) {
            namespaced = true;
            i += 2;
        }
        String resource = p[i];
        boolean named = p.length > i + 1;
        if (p.length > i + 2) {
            resource += "/" + p[i + 2];
        }
        boolean watch = uri.getQuery() != null && uri.getQuery().contains("watch=true");
        String verb = switch (method) {
            case "GET" -> watch ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> throw new AssertionError("unexpected method " + method + " " + path);
        };
        return java.util.Optional.of(new Request(verb, group, resource, namespaced, method, path, body));
    }

    private static Set<String> grants(List<PolicyRule> rules) {
        Set<String> out = new TreeSet<>();
        for (PolicyRule r : rules) {
            for (String g : r.getApiGroups()) {
                for (String res : r.getResources()) {
                    for (String v : r.getVerbs()) {
                        out.add(g + "/" + res + ":" + v);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void theSuiteRanTheOperatorIncludingLeaderElection() {
        assertTrue(operatorRequests.size() > 200, "only " + operatorRequests.size() + " operator requests recorded: run the whole "
                + "suite (make test); this test reads what the reconciler tests made the operator send");
        Set<String> sent = new TreeSet<>(operatorRequests.stream().map(Request::grant).toList());
        // fabric8 renews the Lease with a PATCH: the verb the chart once lacked
        assertTrue(sent.contains("coordination.k8s.io/leases:create") && sent.contains("coordination.k8s.io/leases:patch"),
                "leader election ran (LeaderElectionTest): " + sent);
        assertTrue(sent.contains("authorization.k8s.io/selfsubjectrulesreviews:create"), "JOSDK checked its Lease access");
        assertTrue(sent.contains("import.glance.openstack.org/glanceapis/status:update"), sent.toString());
    }

    /**
     * The tests put the CRDs on the empty mock server through the operator (crd.apply, test profile only); in production
     * the installer applies them (helm, OLM) and the operator never touches CRDs, so the RBAC grants none.
     */
    private static boolean testProfileCrdApply(Request r) throws IOException {
        if (!r.grant().startsWith("apiextensions.k8s.io/customresourcedefinitions:")) {
            return false;
        }
        List<String> props = Files.readAllLines(Path.of("src/main/resources/application.properties"));
        assertTrue(props.contains("quarkus.operator-sdk.crd.apply=false") && props.contains("%test.quarkus.operator-sdk.crd.apply=true"),
                "CRD requests are exempt only while production does not apply CRDs");
        return true;
    }

    @Test
    void everyRequestIsAllowedByTheChartAndTheCsv() throws IOException {
        for (var shipped : Map.of("helm/templates/clusterrole.yaml", ShippedRbac.chart(), "the CSV", ShippedRbac.csv()).entrySet()) {
            Set<String> allowed = grants(shipped.getValue());
            Set<String> refused = new TreeSet<>();
            for (Request r : operatorRequests) {
                if (!allowed.contains(r.grant()) && !FOR_EVERYONE.contains(r.grant()) && !testProfileCrdApply(r)) {
                    refused.add(r.grant() + " (e.g. " + r.method() + " " + r.path() + ")");
                }
            }
            assertEquals(Set.of(), refused, "requests the operator sent that " + shipped.getKey() + " does not allow");
        }
    }

    @Test
    void noWriteToAPrimaryResourceCarriesItsSpec() throws IOException {
        int writes = 0;
        for (Request r : operatorRequests) {
            if (r.group().equals("import.glance.openstack.org") && r.body() != null && !r.body().isEmpty()) {
                writes++;
                assertFalse(carriesSpec(JSON.readTree(r.body())), "the operator sent a spec: " + r.method() + " " + r.path() + " "
                        + r.body());
            }
        }
        assertTrue(writes > 20, "only " + writes + " writes to GlanceAPIs and GlanceImportStagings recorded");
    }

    /**
     * The operator's memory must not grow with objects that are not its own: every list and watch of a resource other
     * than its custom resources selects by label (the Services informer once had none, the referenced-Secrets informer
     * cached every Secret of the watched namespaces).
     */
    @Test
    void everyListAndWatchOfOtherObjectsSelectsByLabel() {
        Set<String> unselected = new TreeSet<>();
        int lists = 0;
        for (Request r : operatorRequests) {
            if ((r.verb().equals("list") || r.verb().equals("watch")) && !r.group().equals("import.glance.openstack.org")
                    && !r.group().equals("apiextensions.k8s.io")) {
                lists++;
                if (!r.path().contains("labelSelector=")) {
                    unselected.add(r.grant() + " " + r.path());
                }
            }
        }
        assertTrue(lists > 10, "only " + lists + " lists and watches recorded");
        assertEquals(Set.of(), unselected, "informers that cache objects the operator does not own");
    }

    /** A spec in an object body, or a JSON patch operation on it. */
    public static boolean carriesSpec(JsonNode body) {
        if (body.isArray()) {
            for (JsonNode op : body) {
                if (op.path("path").asText().startsWith("/spec")) {
                    return true;
                }
            }
            return false;
        }
        return body.has("spec");
    }

    @Test
    void theChecksRefuseWhatTheyShould() throws IOException {
        Request leasePatch = parse("PATCH", "/apis/coordination.k8s.io/v1/namespaces/ops/leases/glance-import-operator-lease", null)
                .orElseThrow();
        assertEquals("coordination.k8s.io/leases:patch", leasePatch.grant());
        assertTrue(leasePatch.namespaced());
        assertFalse(grants(List.of(new io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder().withApiGroups("coordination.k8s.io")
                .withResources("leases").withVerbs("get", "create", "update").build())).contains(leasePatch.grant()));
        assertEquals("import.glance.openstack.org/glanceapis/status:update", parse("PUT",
                "/apis/import.glance.openstack.org/v1beta1/namespaces/a/glanceapis/g/status", null).orElseThrow().grant());
        assertEquals("/persistentvolumeclaims:watch", parse("GET", "/api/v1/persistentvolumeclaims?labelSelector=x&watch=true", null)
                .orElseThrow().grant());
        assertEquals("/namespaces:get", parse("GET", "/api/v1/namespaces/a", null).orElseThrow().grant());
        assertTrue(parse("GET", "/apis/apps/v1", null).isEmpty(), "discovery");
        assertTrue(carriesSpec(JSON.readTree("{\"metadata\":{\"name\":\"a\"},\"spec\":{\"replicas\":1}}")));
        assertTrue(carriesSpec(JSON.readTree("[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":1}]")));
        assertFalse(carriesSpec(JSON.readTree("[{\"op\":\"add\",\"path\":\"/metadata/finalizers\",\"value\":[\"f\"]}]")));
    }
}
