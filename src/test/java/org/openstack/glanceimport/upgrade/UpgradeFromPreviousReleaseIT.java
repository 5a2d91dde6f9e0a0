package org.openstack.glanceimport.upgrade;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.delivery.Release;
import org.openstack.glanceimport.packaging.OperatorJvm;
import org.openstack.glanceimport.packaging.OperatorProcess;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.kube.AuditLog;
import org.openstack.glanceimport.support.kube.NodeStandIn;
import org.openstack.glanceimport.support.kube.RealApiServer;
import org.openstack.glanceimport.support.tools.TestTools;

/**
 * The upgrade from the previous release ({@link PreviousRelease}, built from its commit) to this build, done as users
 * do it, on a real kube-apiserver 1.26 with the StatefulSet, Job and garbage-collector controllers:
 * <ol>
 * <li>`helm install` of the previous release's chart (real helm, helm-java's): its CRDs, RBAC and Deployment; the
 * previous jar runs as that Deployment's pod would, as its ServiceAccount, until the GlanceAPIs and policies of its
 * samples (minimal, ceph, scaled, production) have converged;</li>
 * <li>the chart's NOTES command, {@code kubectl apply --server-side --force-conflicts -f crds/} (real kubectl; the
 * bundle's CRDs are the same), while it still runs, then `helm upgrade` to this chart (which leaves CRDs alone, as
 * Helm documents);</li>
 * <li>the Deployment's rolling update: this jar starts and stands by, the previous one gets SIGTERM and hands the
 * Lease over.</li>
 * </ol>
 * Then: every stored object passes the new schema (a dry-run update of each, which runs every rule on 1.26), the CRDs
 * store only v1beta1, the users' specs are as they were (metadata.generation, and the spec but for the new schema's
 * defaults: a field the new schema removed would be pruned and show as a change), every GlanceAPI converges, each
 * StatefulSet makes at most one new revision and each pod is replaced at most once, the pod templates change only
 * where the upgrade notes say ({@link #DOCUMENTED_ROLL_REASONS}), and the operator writes nothing once it is quiet.
 * Prints, and writes to target/upgrade-from-previous.json, which pods rolled, why, and how long each GlanceAPI took.
 */
class UpgradeFromPreviousReleaseIT {

    private static final String NS = "openstack";
    private static final String RELEASE = "glance-import";
    private static final List<String> SAMPLES = List.of("minimal.yaml", "ceph.yaml", "scaled.yaml", "production.yaml");
    private static final Duration CONVERGE = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /**
     * Where a pod template may differ after the upgrade from the previous release, each for an entry of
     * docs/upgrade-notes.md; any other difference rolls pods for a reason nobody was told, and fails the test.
     */
    static final Map<String, String> DOCUMENTED_ROLL_REASONS = new TreeMap<>(Map.of(
            "/spec/terminationGracePeriodSeconds", "running imports survive pod stops: importDrainSeconds + 60",
            "/spec/containers/0/lifecycle", "running imports survive pod stops: the preStop drain hook",
            "/spec/topologySpreadConstraints", "pods spread across zones",
            "/metadata/annotations/import.glance.openstack.org~1config-hash", "the configuration changed: httpd's files, apiTimeout",
            "/spec/containers/0/command", "glance-api under httpd + mod_wsgi",
            "/spec/containers/0/args", "glance-api under httpd + mod_wsgi",
            "/spec/containers/0/env", "glance-api under httpd + mod_wsgi: OS_GLANCE_CONFIG_DIR instead of OS_DEFAULT__BIND_HOST"));

    @Test
    void upgradeFromThePreviousRelease() throws Exception {
        long t0 = System.nanoTime();
        PreviousRelease previous = PreviousRelease.get();
        System.out.printf("[upgrade] %s (%s) from %s, %d s%n", PreviousRelease.VERSION, PreviousRelease.COMMIT, previous.dir,
                (System.nanoTime() - t0) / 1_000_000_000);
        Path dir = Path.of("target/real-api-upgrade");
        try (RealApiServer k8s = RealApiServer.start(dir)) {
            KubernetesClient admin = k8s.admin();
            new Helm(previous.chart()).install().withName(RELEASE).withNamespace(RealApiServer.OPERATOR_NAMESPACE).createNamespace()
                    .withKubeConfig(k8s.adminKubeconfig()).call();
            k8s.authenticateOperator();
            k8s.createNamespace(NS);

            try (NodeStandIn node = new NodeStandIn(admin, NS); PodHistory pods = new PodHistory(admin, NS)) {
                admin.resource(Samples.secret(NS, "glance-tls-cert", "tls.crt", Samples.tlsFile("wildcard.crt"), "tls.key",
                        Samples.tlsFile("wildcard.key"), "ca.crt", Samples.tlsFile("ca.crt"))).create();
                for (String sample : SAMPLES) {
                    Samples.apply(admin, NS, Samples.load(admin, previous.samples().resolve(sample)));
                }
                OperatorProcess old = start(k8s, previous.jar(), "operator-previous");
                try (old) {
                    long start = System.nanoTime();
                    Map<String, Long> converged = awaitConverged(k8s, pods, start, old);
                    System.out.printf("[upgrade] %s converged: %s (ms from its start)%n", PreviousRelease.VERSION, converged);
                    Snapshot before = Snapshot.of(admin);
                    long mark = k8s.audit().mark();
                    Map<String, List<String>> podsAtUpgrade = pods.uids();

                    // the upgrade as the chart's NOTES and docs/upgrade-notes.md tell users to do it: the CRDs first,
                    // while the previous operator still runs, then helm upgrade
                    applyCrdsAsTheNotesSay(k8s);
                    assertBundleCrdsAreTheCharts();
                    for (CustomResourceDefinition crd : crds(admin)) {
                        assertEquals(List.of(GlanceAPI.VERSION), crd.getStatus().getStoredVersions(), crd.getMetadata().getName());
                    }
                    assertEquals(List.of(), refusedByTheNewSchema(admin), "stored objects the new schema refuses");
                    Snapshot upgraded = Snapshot.of(admin);
                    assertEquals(Map.of(), before.specChanges(upgraded, crds(admin)), "the users' specs changed by the CRD update");
                    Map<String, String> crdVersions = crdResourceVersions(admin);
                    new Helm(Path.of("helm")).upgrade().withName(RELEASE).withNamespace(RealApiServer.OPERATOR_NAMESPACE)
                            .withKubeConfig(k8s.adminKubeconfig()).call();
                    assertEquals(crdVersions, crdResourceVersions(admin), "helm upgrade changed a CRD (Helm documents it never does)");
                    assertEquals(Release.IMAGE + ":" + Release.version(), admin.apps().deployments().inNamespace(RealApiServer.OPERATOR_NAMESPACE)
                            .list().getItems().get(0).getSpec().getTemplate().getSpec().getContainers().get(0).getImage(),
                            "helm upgrade renders this release's image");

                    // the Deployment's rolling update: the new pod starts and stands by, the old one gets SIGTERM and
                    // hands the Lease over
                    try (OperatorProcess current = start(k8s, OperatorProcess.JAR, "operator-current")) {
                        await().atMost(Duration.ofSeconds(60)).until(() -> current.logged(l -> l.contains("held by operator-previous-")));
                        assertTrue(old.terminate(Duration.ofSeconds(10)) >= 0, PreviousRelease.VERSION + " did not stop on SIGTERM");
                        long handover = System.nanoTime();
                        // the standby takes the Lease on its next retry; the quiet that ends awaitConverged counts from then
                        await().atMost(Duration.ofSeconds(30)).until(() -> current.logged(l -> l.contains("Leading as operator-current-")));
                        System.out.printf("[upgrade] %s leads %d ms after %s exited%n", Release.version(),
                                (System.nanoTime() - handover) / 1_000_000, PreviousRelease.VERSION);
                        Map<String, Long> convergedAfter = awaitConverged(k8s, pods, handover, current);
                        long steady = k8s.audit().mark();
                        Thread.sleep(8000);
                        assertEquals(Map.of(), AuditLog.byKind(k8s.audit().operatorWrites(steady)), "writes at steady state after the upgrade");

                        Snapshot after = Snapshot.of(admin);
                        assertEquals(Map.of(), before.specChanges(after, crds(admin)), "the users' specs changed after the upgrade");
                        assertEquals(List.of(), k8s.audit().operatorWrites(mark).stream().filter(r -> GlanceAPI.GROUP.equals(r.apiGroup())
                                && r.body() != null && r.body().has("spec")).map(r -> r.kind() + " " + r.name()).toList(),
                                "operator writes that carry a spec");
                        report(before, after, convergedAfter, podsAtUpgrade, pods, upgraded);
                    }
                }
            }
        }
        System.out.printf("[upgrade] whole test %d s%n", (System.nanoTime() - t0) / 1_000_000_000);
    }

    private static OperatorProcess start(RealApiServer k8s, Path jar, String hostname) throws Exception {
        return OperatorProcess.start(OperatorJvm.resolve(), jar, Map.of("QUARKUS_KUBERNETES_CLIENT_TOKEN", k8s.operatorConfig().getOauthToken()),
                k8s.url(), RealApiServer.OPERATOR_NAMESPACE, hostname, Boolean.getBoolean("it.verbose"));
    }

    /**
     * Milliseconds from {@code start} until each GlanceAPI's StatefulSet was rolled out after its last roll (every pod
     * of the update revision, ready: {@link PodHistory#rolledOutMs}, 0 if it did not roll), once every GlanceAPI is Ready
     * with the status of its generation, its StatefulSet rolled out, and the operator has sent no write for 3 s.
     */
    private static Map<String, Long> awaitConverged(RealApiServer k8s, PodHistory history, long start, OperatorProcess operator) {
        KubernetesClient admin = k8s.admin();
        long[] lastWrite = { k8s.audit().mark(), System.nanoTime() };
        try {
            await().atMost(CONVERGE).pollInterval(Duration.ofMillis(500)).until(() -> {
                List<GenericKubernetesResource> apis = glanceApis(admin).list().getItems();
                if (!k8s.audit().operatorWrites(lastWrite[0]).isEmpty()) {
                    lastWrite[0] = k8s.audit().mark();
                    lastWrite[1] = System.nanoTime();
                }
                return !apis.isEmpty() && apis.stream().allMatch(a -> converged(admin, a))
                        && System.nanoTime() - lastWrite[1] > Duration.ofSeconds(3).toNanos();
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            StringBuilder state = new StringBuilder();
            glanceApis(admin).list().getItems().forEach(api -> state.append(api.getMetadata().getName()).append(" generation ")
                    .append(api.getMetadata().getGeneration()).append(" status ").append(Serialization.asJson(api.getAdditionalProperties()
                            .get("status"))).append("\n  StatefulSet ").append(java.util.Optional.ofNullable(admin.apps().statefulSets()
                                    .inNamespace(NS).withName(api.getMetadata().getName()).get()).map(s -> s.getMetadata().getGeneration()
                                            + " " + Serialization.asJson(s.getStatus())).orElse("none")).append("\n"));
            throw new AssertionError("not converged within " + CONVERGE + "\n" + state + "the operator's log:\n"
                    + String.join("\n", operator.log()), e);
        }
        Map<String, Long> converged = new TreeMap<>();
        glanceApis(admin).list().getItems().forEach(a -> converged.put(a.getMetadata().getName(),
                history.rolledOutMs(a.getMetadata().getName(), start)));
        return converged;
    }

    @SuppressWarnings("unchecked")
    private static boolean converged(KubernetesClient admin, GenericKubernetesResource api) {
        Map<String, Object> status = (Map<String, Object>) api.getAdditionalProperties().get("status");
        if (status == null || !(status.get("conditions") instanceof List<?> conditions)
                || conditions.stream().noneMatch(c -> "Ready".equals(((Map<String, Object>) c).get("type"))
                        && "True".equals(((Map<String, Object>) c).get("status")))
                || status.get("observedGeneration") != null
                        && ((Number) status.get("observedGeneration")).longValue() != api.getMetadata().getGeneration()) {
            return false;
        }
        StatefulSet sts = admin.apps().statefulSets().inNamespace(NS).withName(api.getMetadata().getName()).get();
        return sts != null && PodHistory.rolledOut(sts);
    }

    private static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource, io.fabric8.kubernetes.api.model.GenericKubernetesResourceList, io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> glanceApis(
            KubernetesClient admin) {
        return admin.genericKubernetesResources(GlanceAPI.GROUP + "/" + GlanceAPI.VERSION, "GlanceAPI").inNamespace(NS);
    }

    private static List<CustomResourceDefinition> crds(KubernetesClient admin) {
        return admin.apiextensions().v1().customResourceDefinitions().list().getItems().stream()
                .filter(c -> GlanceAPI.GROUP.equals(c.getSpec().getGroup())).toList();
    }

    private static Map<String, String> crdResourceVersions(KubernetesClient admin) {
        return crds(admin).stream().collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c.getMetadata().getResourceVersion(),
                (a, b) -> a, TreeMap::new));
    }

    /**
     * The chart's NOTES.txt: {@code kubectl apply --server-side --force-conflicts -f crds/}, with real kubectl. Without
     * --force-conflicts it fails: helm install created the CRDs, so helm's field manager owns {@code spec.versions}
     * (measured: "Apply failed with 1 conflict: conflict with "java" [helm-java's helm] ... .spec.versions").
     */
    private static void applyCrdsAsTheNotesSay(RealApiServer k8s) throws Exception {
        Path kubectl = TestTools.kubeApiTestDir().resolve("k8s").resolve(RealApiServer.VERSION + "-linux-amd64").resolve("kubectl");
        Process p = new ProcessBuilder(kubectl.toString(), "--kubeconfig", k8s.adminKubeconfig().toString(), "apply", "--server-side",
                "--force-conflicts", "-f", Path.of("helm/crds").toAbsolutePath().toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl apply did not end");
        assertEquals(0, p.exitValue(), "kubectl apply --server-side --force-conflicts -f crds/ after helm install:\n" + out);
        System.out.print("[upgrade] kubectl apply --server-side -f helm/crds/: " + out);
        k8s.authenticateOperator(); // waits until the CRDs are established again
    }

    /** OLM replaces the CRDs with the bundle's: the same schema as the chart's, so one upgrade test covers both. */
    private static void assertBundleCrdsAreTheCharts() throws Exception {
        try (var files = Files.list(Path.of("helm/crds"))) {
            for (Path chart : files.sorted().toList()) {
                Path bundle = Path.of("bundle/manifests", chart.getFileName().toString().replace(".yml", ".crd.yml"));
                assertEquals(Serialization.unmarshal(Files.readString(chart), CustomResourceDefinition.class).getSpec(),
                        Serialization.unmarshal(Files.readString(bundle), CustomResourceDefinition.class).getSpec(), bundle.toString());
            }
        }
    }

    /**
     * Every stored GlanceAPI and GlanceImportStaging updated unchanged, dry run: on 1.26 an update runs every schema
     * rule and CEL rule on the whole object (no ratcheting), as the operator's status and finalizer writes will.
     */
    private static List<String> refusedByTheNewSchema(KubernetesClient admin) {
        List<String> refused = new ArrayList<>();
        for (String kind : List.of("GlanceAPI", "GlanceImportStaging")) {
            var op = admin.genericKubernetesResources(GlanceAPI.GROUP + "/" + GlanceAPI.VERSION, kind).inNamespace(NS);
            for (GenericKubernetesResource r : op.list().getItems()) {
                r.getMetadata().setResourceVersion(null); // unconditional: the previous operator may write its status meanwhile
                try {
                    op.resource(r).dryRun().update();
                } catch (KubernetesClientException e) {
                    refused.add(kind + " " + r.getMetadata().getName() + ": " + e.getMessage());
                }
            }
        }
        return refused;
    }

    /** What the test compares before and after: the users' objects, and each StatefulSet's template and revisions. */
    record Snapshot(Map<String, GenericKubernetesResource> users, Map<String, StatefulSet> statefulSets,
            Map<String, Set<String>> revisions) {

        static Snapshot of(KubernetesClient admin) {
            Map<String, GenericKubernetesResource> users = new TreeMap<>();
            for (String kind : List.of("GlanceAPI", "GlanceImportStaging")) {
                admin.genericKubernetesResources(GlanceAPI.GROUP + "/" + GlanceAPI.VERSION, kind).inNamespace(NS).list().getItems()
                        .forEach(r -> users.put(kind + "/" + r.getMetadata().getName(), r));
            }
            Map<String, StatefulSet> sets = new TreeMap<>();
            Map<String, Set<String>> revisions = new TreeMap<>();
            for (StatefulSet sts : admin.apps().statefulSets().inNamespace(NS).list().getItems()) {
                sets.put(sts.getMetadata().getName(), sts);
                revisions.put(sts.getMetadata().getName(), admin.apps().controllerRevisions().inNamespace(NS).list().getItems().stream()
                        .filter(r -> r.getMetadata().getOwnerReferences().stream().anyMatch(o -> o.getUid().equals(sts.getMetadata().getUid())))
                        .map(ControllerRevision::getMetadata).map(m -> m.getName()).collect(Collectors.toCollection(TreeSet::new)));
            }
            return new Snapshot(users, sets, revisions);
        }

        /** Per object, how its spec or generation differs in {@code later}, defaults of the new schema aside. */
        Map<String, List<String>> specChanges(Snapshot later, List<CustomResourceDefinition> crds) {
            Map<String, List<String>> changes = new TreeMap<>();
            assertEquals(users.keySet(), later.users.keySet(), "the users' objects");
            users.forEach((key, was) -> {
                GenericKubernetesResource now = later.users.get(key);
                List<String> changed = new ArrayList<>(UpgradeChecks.specChanges(spec(was), spec(now), specSchema(crds, was.getKind())));
                if (!was.getMetadata().getGeneration().equals(now.getMetadata().getGeneration())) {
                    changed.add("metadata.generation " + was.getMetadata().getGeneration() + " -> " + now.getMetadata().getGeneration());
                }
                if (!changed.isEmpty()) {
                    changes.put(key, changed);
                }
            });
            return changes;
        }
    }

    static JsonNode spec(GenericKubernetesResource r) {
        return JSON.valueToTree(r.getAdditionalProperties().get("spec"));
    }

    static JsonNode specSchema(List<CustomResourceDefinition> crds, String kind) {
        CustomResourceDefinition crd = crds.stream().filter(c -> kind.equals(c.getSpec().getNames().getKind())).findFirst().orElseThrow();
        return JSON.valueToTree(crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec"));
    }

    /**
     * Per GlanceAPI: the new revisions of its StatefulSet (at most one), the pods replaced (each at most once) and why
     * (where the template changed, each path a documented reason), the time to converge; printed and written to
     * target/upgrade-from-previous.json.
     */
    private static void report(Snapshot before, Snapshot after, Map<String, Long> converged, Map<String, List<String>> podsAtUpgrade,
            PodHistory pods, Snapshot atCrdUpdate) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", PreviousRelease.VERSION + " (" + PreviousRelease.COMMIT + ")");
        out.put("to", Release.version());
        Map<String, Object> perApi = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        Map<String, List<String>> uids = pods.uids();
        for (String name : converged.keySet()) {
            StatefulSet was = before.statefulSets().get(name);
            StatefulSet now = after.statefulSets().get(name);
            Set<String> newRevisions = new TreeSet<>(after.revisions().get(name));
            newRevisions.removeAll(before.revisions().get(name));
            Map<String, String> changed = UpgradeChecks.differences(JSON.valueToTree(was.getSpec().getTemplate()),
                    JSON.valueToTree(now.getSpec().getTemplate()));
            Map<String, String> undocumented = new TreeMap<>(changed);
            undocumented.keySet().removeIf(path -> DOCUMENTED_ROLL_REASONS.keySet().stream().anyMatch(path::startsWith));
            Map<String, String> replaced = new TreeMap<>();
            Map<String, List<String>> sincePods = new TreeMap<>();
            for (int i = 0; i < now.getSpec().getReplicas(); i++) {
                String pod = name + "-" + i;
                List<String> all = uids.getOrDefault(pod, List.of());
                List<String> atUpgrade = podsAtUpgrade.getOrDefault(pod, List.of());
                // the pod as it was at the upgrade, then every pod of that name created since
                List<String> since = new ArrayList<>(atUpgrade.isEmpty() ? List.of() : List.of(atUpgrade.get(atUpgrade.size() - 1)));
                all.stream().filter(u -> !atUpgrade.contains(u)).forEach(since::add);
                sincePods.put(pod, since);
                if (since.size() > 1) {
                    replaced.put(pod, since.stream().map(pods::revision).collect(Collectors.joining(" -> ")));
                }
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("replicas", now.getSpec().getReplicas());
            entry.put("convergedMs", converged.get(name));
            entry.put("newRevisions", newRevisions.size());
            entry.put("podsReplaced", replaced);
            Map<String, String> reasons = new TreeMap<>();
            changed.forEach((path, how) -> reasons.put(path + " (" + how + ")", DOCUMENTED_ROLL_REASONS.entrySet().stream()
                    .filter(e -> path.startsWith(e.getKey())).map(Map.Entry::getValue).findFirst().orElse("UNDOCUMENTED")));
            entry.put("templateChanges", reasons);
            entry.put("specDefaultsAdded", UpgradeChecks.defaultsAdded(spec(before.users().get("GlanceAPI/" + name)),
                    spec(atCrdUpdate.users().get("GlanceAPI/" + name))));
            perApi.put(name, entry);

            if (newRevisions.size() > 1) {
                failures.add(name + ": " + newRevisions.size() + " new revisions " + newRevisions);
            }
            UpgradeChecks.replacedMoreThanOnce(sincePods).forEach((pod, list) -> failures.add(pod + " replaced " + (list.size() - 1) + " times"));
            if (!undocumented.isEmpty()) {
                failures.add(name + ": pod template changed where the upgrade notes say nothing: " + undocumented);
            }
            if (!changed.isEmpty() && replaced.size() != now.getSpec().getReplicas() || changed.isEmpty() && !replaced.isEmpty()) {
                failures.add(name + ": template changed " + !changed.isEmpty() + " but pods replaced " + replaced.keySet());
            }
        }
        out.put("glanceApis", perApi);
        String text = JSON.writeValueAsString(out);
        Files.writeString(Path.of("target/upgrade-from-previous.json"), text);
        System.out.println("[upgrade] " + text);
        assertEquals(List.of(), failures);
    }
}
