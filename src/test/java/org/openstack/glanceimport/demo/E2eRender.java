package org.openstack.glanceimport.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;

import org.openstack.glanceimport.api.ApiServer;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.pod.ServerCommand;
import org.openstack.glanceimport.support.GlanceApiObjects;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.e2e.E2eSetup;
import org.openstack.glanceimport.support.kube.AsUser;

/**
 * First step of `make e2e`: feeds the real operator the Secrets a user would create for the services the e2e suite
 * started (-De2e.secrets=secrets.json), applies the ceph, scaled and production samples, and writes what the operator created for each
 * (-De2e.out=objects.json) for the harness to run as real glance-api processes, unchanged.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
@Tag("render")
class E2eRender {

    static final String NS = E2eSetup.NS;
    static final int TLS_API_TIMEOUT = 90;
    static final int TLS_SHORT_API_TIMEOUT = 10;
    static final String POLICY = "glance-policy";
    static final String NOTIFICATIONS = "glance-notifications";
    /** test_distributed_import 5 looks for it everywhere but the operator's Secret. */
    static final String NOTIFICATIONS_PASSWORD = "e2e-notify-pw-3141";

    @Inject
    @AsUser
    KubernetesClient client;

    @Test
    void render() throws IOException {
        // the TLS GlanceAPI runs glance-api under uWSGI, the others under the default server (httpd): both on real processes.
        // Its apiTimeout is above uWSGI's and httpd's 60 s of before: test_tls_multistore 8 pauses an upload for longer
        // The plain one reads a policy file from extraMounts and a notification transport from customServiceConfigSecrets
        // (test_distributed_import 5)
        client.resource(new ConfigMapBuilder().withNewMetadata().withName(POLICY).withNamespace(NS).endMetadata()
                .addToData("publicize-images.yaml", "\"publicize_image\": \"role:member\"\n").build()).create();
        client.resource(Samples.secret(NS, NOTIFICATIONS, "notifications.conf", "[oslo_messaging_notifications]\ndriver = log\n"
                + "transport_url = rabbit://glance:" + NOTIFICATIONS_PASSWORD + "@127.0.0.1:5672/\n")).create();
        UnaryOperator<HasMetadata> tlsEdit = Samples.glanceApiFields("glance-tls", Map.of("apiServer", "uwsgi", "apiTimeout", TLS_API_TIMEOUT));
        UnaryOperator<HasMetadata> plain = Samples.glanceApiFields("glance-ceph", Map.of(
                "extraMounts", List.of(Map.of("mountPath", "/etc/glance/policy.d", "configMapName", POLICY)),
                "customServiceConfigSecrets", List.of(NOTIFICATIONS)));
        E2eSetup.apply(client, Path.of(System.getProperty("e2e.secrets")), item -> plain.apply(tlsEdit.apply(item)));
        Path out = Path.of(System.getProperty("e2e.out"));
        GlanceAPI scaled = Samples.glanceApi(client, "scaled.yaml");
        write(scaled, out);
        // the same GlanceAPI on the other servers, for make bench-import: rendered-uwsgi.json, rendered-eventlet.json
        for (ApiServer server : List.of(ApiServer.uwsgi, ApiServer.eventlet)) {
            client.resources(GlanceAPI.class).inNamespace(NS).withName(scaled.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"apiServer\":\"" + server + "\"}}");
            write(scaled, sibling(out, server.name()));
        }
        // the TLS, two-store, cached GlanceAPI goes next to it: rendered-tls.json; and with apiTimeout lowered below the
        // same pause, rendered-tls-short.json, whose pod the test swaps in
        GlanceAPI tls = Samples.glanceApi(client, "production.yaml");
        write(tls, sibling(out, "tls"));
        client.resources(GlanceAPI.class).inNamespace(NS).withName(tls.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"apiTimeout\":" + TLS_SHORT_API_TIMEOUT + "}}");
        write(tls, sibling(out, "tls-short"));
        // one store of each type (shared file, rbd on two Ceph configurations, S3, Swift): rendered-stores.json. Not
        // rendered is no reason to lose the Lists above: run.sh fails the run, naming the missing file
        try {
            write(E2eSetup.applyStores(client, Path.of(System.getProperty("e2e.secrets"))), sibling(out, "stores"));
        } catch (Exception | AssertionError e) {
            GlanceAPI api = client.resources(GlanceAPI.class).inNamespace(NS).withName(E2eSetup.STORES).get();
            System.out.println("[render] GlanceAPI " + NS + "/" + E2eSetup.STORES + " NOT rendered (" + e
                    + "); its status: " + (api == null ? "none" : Serialization.asJson(api.getStatus())));
        }
    }

    private static Path sibling(Path out, String suffix) {
        return out.resolveSibling(out.getFileName().toString().replace(".json", "-" + suffix + ".json"));
    }

    private void write(GlanceAPI sample, Path out) throws IOException {
        String name = sample.getMetadata().getName();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            var sts = client.apps().statefulSets().inNamespace(NS).withName(name).get();
            int cronJobs = (sample.getSpec().imageCache != null ? sample.getSpec().replicas : 0) + (sample.getSpec().databasePurge != null ? 1 : 0);
            GlanceAPI now = client.resources(GlanceAPI.class).inNamespace(NS).withName(name).get();
            return sts != null && sts.getSpec().getReplicas() == sample.getSpec().replicas
                    && now.getStatus() != null && now.getMetadata().getGeneration().equals(now.getStatus().observedGeneration)
                    && now.getStatus().configHash != null && now.getStatus().configHash.equals(sts.getSpec().getTemplate().getMetadata()
                            .getAnnotations().get(Names.CONFIG_HASH_ANNOTATION))
                    && sts.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand().get(0).equals(ServerCommand.program(now.getSpec().apiServerOrDefault()))
                    && client.batch().v1().cronjobs().inNamespace(NS).withLabel(Names.GLANCEAPI_LABEL, name).list().getItems().size() == cronJobs;
        });
        GlanceAPI api = client.resources(GlanceAPI.class).inNamespace(NS).withName(name).get();
        KubernetesList list = GlanceApiObjects.of(client, api);
        Files.writeString(out, Serialization.asJson(list));
        System.out.println("[render] wrote " + list.getItems().size() + " objects of GlanceAPI " + NS + "/" + name
                + " (staging policy " + api.getSpec().stagingRef + ") to " + out);
    }
}
