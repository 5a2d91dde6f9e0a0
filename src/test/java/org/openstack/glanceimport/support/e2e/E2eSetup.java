package org.openstack.glanceimport.support.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import org.openstack.glanceimport.support.Samples;

/**
 * The e2e suite's user: creates the Secrets a user would create for the services the harness started (from its
 * secrets.json), under the names the samples use, then applies samples/ceph.yaml, samples/scaled.yaml and samples/production.yaml.
 */
public final class E2eSetup {

    public static final String NS = "openstack";

    private E2eSetup() {
    }

    public static void apply(KubernetesClient client, Path secretsJson) throws IOException {
        apply(client, secretsJson, item -> item);
    }

    /** The same, each sample object changed by {@code edit} first. */
    @SuppressWarnings("unchecked")
    public static void apply(KubernetesClient client, Path secretsJson, java.util.function.UnaryOperator<io.fabric8.kubernetes.api.model.HasMetadata> edit)
            throws IOException {
        Map<String, Object> doc = Serialization.unmarshal(Files.readString(secretsJson), Map.class);
        Map<String, Map<String, Object>> secrets = (Map<String, Map<String, Object>>) doc.get("secrets");
        create(client, "glance-db", secrets.get("db"));
        create(client, "glance-keystone", secrets.get("keystone"));
        create(client, "ceph-client-glance", secrets.get("ceph"));
        create(client, "glance-tls-cert", secrets.get("tls"));
        for (String file : new String[] { "ceph.yaml", "scaled.yaml", "production.yaml" }) {
            Samples.apply(client, NS, file, item -> !"Secret".equals(item.getKind()), edit);
        }
    }

    private static void create(KubernetesClient client, String name, Map<String, Object> data) {
        String[] keyValues = data.entrySet().stream().flatMap(e -> Stream.of(e.getKey(), String.valueOf(e.getValue())))
                .toArray(String[]::new);
        client.resource(Samples.secret(NS, name, keyValues)).create();
    }
}
