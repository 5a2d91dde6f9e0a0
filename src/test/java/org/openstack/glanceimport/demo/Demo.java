package org.openstack.glanceimport.demo;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceImportStaging;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.kube.AsUser;

/**
 * `make demo`: the operator against an in-process Kubernetes API server (no cluster needed). Applies the samples, scales
 * the Ceph GlanceAPI to 3 and prints what exists; then applies samples/production.yaml.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
@Tag("demo")
class Demo {

    static final String NS = "openstack";
    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    @AsUser
    KubernetesClient client;

    @Test
    void demo() {
        long t0 = System.nanoTime();
        say("== Applying samples/minimal.yaml and samples/ceph.yaml to namespace " + NS);
        Samples.apply(client, NS, "minimal.yaml");
        Samples.apply(client, NS, "ceph.yaml");
        await().atMost(WAIT).until(() -> sts("glance-ceph") != null);
        say("== Scaling GlanceAPI glance-ceph to 3 (samples/scaled.yaml)");
        Samples.apply(client, NS, "scaled.yaml");
        await().atMost(WAIT).until(() -> sts("glance-ceph").getSpec().getReplicas() == 3
                && api("glance-ceph").getStatus() != null && api("glance-ceph").getStatus().stagingClaims.size() == 3);

        StatefulSet sts = sts("glance-ceph");
        say("\n== StatefulSet " + sts.getMetadata().getName());
        say("  replicas=%d serviceName=%s podManagementPolicy=%s image=%s", sts.getSpec().getReplicas(), sts.getSpec().getServiceName(),
                sts.getSpec().getPodManagementPolicy(), sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        say("  config-hash=%s", sts.getSpec().getTemplate().getMetadata().getAnnotations().get(Names.CONFIG_HASH_ANNOTATION));
        say("  args: %s", String.join(" ", sts.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()));
        for (EnvVar env : sts.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
            say("  env %s=%s", env.getName(), env.getValue() != null ? env.getValue()
                    : "(fieldRef " + env.getValueFrom().getFieldRef().getFieldPath() + ")");
        }

        List<PersistentVolumeClaim> claims = client.persistentVolumeClaims().inNamespace(NS)
                .withLabel(Names.GLANCEAPI_LABEL, "glance-ceph").list().getItems();
        say("\n== Staging PersistentVolumeClaims (%d)", claims.size());
        for (PersistentVolumeClaim c : claims) {
            say("  %-24s %-6s %-14s class=%s owner=%s", c.getMetadata().getName(),
                    c.getSpec().getResources().getRequests().get("storage"), c.getSpec().getAccessModes().get(0),
                    c.getSpec().getStorageClassName() == null ? "(cluster default)" : c.getSpec().getStorageClassName(),
                    c.getMetadata().getOwnerReferences().isEmpty() ? "none (retained on delete)"
                            : c.getMetadata().getOwnerReferences().get(0).getKind() + "/" + c.getMetadata().getOwnerReferences().get(0).getName());
        }
        assertEquals(3, claims.size(), "scaled to 3: one staging claim per pod");

        say("\n== Services");
        for (Service s : client.services().inNamespace(NS).withLabel(Names.GLANCEAPI_LABEL, "glance-ceph").list().getItems()) {
            say("  %-22s clusterIP=%s publishNotReadyAddresses=%s", s.getMetadata().getName(), s.getSpec().getClusterIP(),
                    s.getSpec().getPublishNotReadyAddresses());
        }
        say("\n== ConfigMaps");
        for (ConfigMap cm : client.configMaps().inNamespace(NS).list().getItems()) {
            say("  %-22s keys=%s", cm.getMetadata().getName(), cm.getData().keySet());
        }
        say("  Secret glance-ceph-secrets keys=%s (values not shown)",
                client.secrets().inNamespace(NS).withName("glance-ceph-secrets").get().getData().keySet());

        GlanceAPI api = api("glance-ceph");
        say("\n== Per-pod worker_self_reference_url (status.stagingClaims)");
        api.getStatus().stagingClaims.forEach(c -> say("  %-14s %-24s %-8s %-6s %s", c.pod, c.claim, c.phase, c.capacity, c.url));
        say("\n== GlanceAPI glance-ceph status conditions");
        api.getStatus().conditions.forEach(c -> say("  %-13s %-5s %-16s %s", c.getType(), c.getStatus(), c.getReason(), c.getMessage()));
        say("  (no kubelet here: pods never start, so Ready waits for them; a stand-in for the Job controller completes db-sync)");

        GlanceImportStaging policy = client.resources(GlanceImportStaging.class).inNamespace(NS).withName("ceph-staging").get();
        say("\n== GlanceImportStaging ceph-staging: %s", Conditions.get(policy.getStatus(), Conditions.READY).map(c -> c.getMessage())
                .orElse("no Ready condition"));
        say("\n== 10-image-import.conf of glance-ceph\n%s", indent(client.configMaps().inNamespace(NS).withName("glance-ceph-config").get()
                .getData().get("10-image-import.conf")));
        say("== 00-glance-api.conf of glance-ceph\n%s", indent(client.configMaps().inNamespace(NS).withName("glance-ceph-config").get()
                .getData().get("00-glance-api.conf")));
        production();
        say("== demo finished in %.1f s", (System.nanoTime() - t0) / 1e9);
    }

    /** samples/production.yaml with a test certificate: the TLS proxy, two stores, the cache and the purge. */
    private void production() {
        say("== Applying samples/production.yaml (TLS, two Ceph pools, image cache, DB purge) with a test certificate "
                + "covering *.glance-tls-headless.%s.svc", NS);
        client.resource(Samples.secret(NS, "glance-tls-cert", "tls.crt", Samples.tlsFile("wildcard.crt"), "tls.key",
                Samples.tlsFile("wildcard.key"), "ca.crt", Samples.tlsFile("ca.crt"))).create();
        Samples.apply(client, NS, "production.yaml");
        await().atMost(WAIT).until(() -> api("glance-tls").getStatus() != null && api("glance-tls").getStatus().imageCache != null
                && client.batch().v1().cronjobs().inNamespace(NS).withLabel(Names.GLANCEAPI_LABEL, "glance-tls").list().getItems().size() == 4);
        StatefulSet sts = sts("glance-tls");
        say("\n== StatefulSet glance-tls: containers and claim templates");
        sts.getSpec().getTemplate().getSpec().getContainers().forEach(c -> say("  %-10s %s %s", c.getName(),
                String.join(" ", c.getCommand()), c.getPorts().isEmpty() ? "(no port: listens on localhost)"
                        : "port " + c.getPorts().get(0).getName() + "/" + c.getPorts().get(0).getContainerPort()));
        sts.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream().filter(e -> e.getValue() != null)
                .forEach(e -> say("  env %s=%s", e.getName(), e.getValue()));
        say("  claim templates: %s", sts.getSpec().getVolumeClaimTemplates().stream().map(t -> t.getMetadata().getName()).toList());
        say("\n== CronJobs");
        client.batch().v1().cronjobs().inNamespace(NS).withLabel(Names.GLANCEAPI_LABEL, "glance-tls").list().getItems().stream()
                .sorted(java.util.Comparator.comparing(j -> j.getMetadata().getName()))
                .forEach(j -> say("  %-20s %-14s %s", j.getMetadata().getName(), j.getSpec().getSchedule(),
                        j.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0).getCommand().get(0)));
        GlanceAPI api = api("glance-tls");
        say("\n== GlanceAPI glance-tls: endpoint %s, certificate valid until %s", api.getStatus().endpoint, api.getStatus().tlsNotAfter);
        api.getStatus().imageCache.pods.forEach(p -> say("  cache %-14s %-24s %-8s %s", p.pod, p.claim, p.phase, p.cronJob));
        String ini = client.configMaps().inNamespace(NS).withName("glance-tls-config").get().getData().get("00-glance-api.conf");
        say("  stores: %s", ini.lines().filter(l -> l.startsWith("enabled_backends") || l.startsWith("default_backend"))
                .collect(Collectors.joining("; ")));
    }

    private static String indent(String s) {
        return s.lines().map(l -> "  " + l).collect(Collectors.joining("\n")) + "\n";
    }

    private StatefulSet sts(String name) {
        return client.apps().statefulSets().inNamespace(NS).withName(name).get();
    }

    private GlanceAPI api(String name) {
        return client.resources(GlanceAPI.class).inNamespace(NS).withName(name).get();
    }

    private static void say(String format, Object... args) {
        System.out.println(args.length == 0 ? format : String.format(format, args));
    }
}
