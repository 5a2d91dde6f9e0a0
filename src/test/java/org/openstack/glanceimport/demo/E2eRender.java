package org.openstack.glanceimport.demo;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.support.E2eSetup;
import org.openstack.glanceimport.support.GlanceApiObjects;
import org.openstack.glanceimport.support.Samples;

/**
 * First step of `make e2e`: feeds the real operator the Secrets a user would create for the services the e2e suite
 * started (-De2e.secrets=secrets.json), applies the ceph and scaled samples, and writes what the operator created
 * (-De2e.out=objects.json) for the harness to run as real glance-api processes, unchanged.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@Tag("render")
class E2eRender {

    static final String NS = E2eSetup.NS;

    @Inject
    KubernetesClient client;

    @Test
    void render() throws IOException {
        E2eSetup.apply(client, Path.of(System.getProperty("e2e.secrets")));
        GlanceAPI sample = Samples.glanceApi(client, "scaled.yaml");
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            var sts = client.apps().statefulSets().inNamespace(NS).withName(sample.getMetadata().getName()).get();
            return sts != null && sts.getSpec().getReplicas() == 3;
        });
        GlanceAPI api = client.resources(GlanceAPI.class).inNamespace(NS).withName(sample.getMetadata().getName()).get();
        KubernetesList list = GlanceApiObjects.of(client, api);
        Path out = Path.of(System.getProperty("e2e.out"));
        Files.writeString(out, Serialization.asJson(list));
        System.out.println("[render] wrote " + list.getItems().size() + " objects of GlanceAPI " + NS + "/"
                + api.getMetadata().getName() + " (staging policy " + api.getSpec().stagingRef + ") to " + out);
    }
}
