package org.openstack.glanceimport.support.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

import org.openstack.glanceimport.api.GlanceAPI;
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

    /** The GlanceAPI of the store types (glance-stores: a shared file store, rbd on two Ceph configurations, S3, Swift). */
    public static final String STORES = "glance-stores";

    /** The file that defines it: its shared claim and the GlanceAPI. */
    public static final String STORES_FILE = "e2e/glance-stores.yaml";

    /**
     * After {@link #apply}: the Secrets of the second Ceph configuration, of radosgw's S3 and Swift users (from the same
     * secrets.json), then {@link #STORES_FILE}. Returns its GlanceAPI as applied.
     */
    @SuppressWarnings("unchecked")
    public static GlanceAPI applyStores(KubernetesClient client, Path secretsJson) throws IOException {
        Map<String, Object> doc = Serialization.unmarshal(Files.readString(secretsJson), Map.class);
        Map<String, Map<String, Object>> secrets = (Map<String, Map<String, Object>>) doc.get("secrets");
        for (String[] s : new String[][] { { "ceph-client-glance-edge", "ceph_edge" }, { "glance-s3", "s3" }, { "glance-swift", "swift" } }) {
            if (secrets.get(s[1]) == null) {
                throw new IllegalStateException(secretsJson + " has no secrets." + s[1] + ": services.sh from before radosgw?");
            }
            create(client, s[0], secrets.get(s[1]));
        }
        List<HasMetadata> items;
        try (InputStream in = E2eSetup.class.getClassLoader().getResourceAsStream(STORES_FILE)) {
            items = client.load(in).items();
        }
        GlanceAPI api = null;
        for (HasMetadata item : items) {
            item.getMetadata().setNamespace(NS);
            client.resource(item).inNamespace(NS).createOr(r -> r.patch(PatchContext.of(PatchType.JSON_MERGE), item));
            if ("GlanceAPI".equals(item.getKind())) {
                api = Serialization.unmarshal(Serialization.asJson(item), GlanceAPI.class);
            }
        }
        return api;
    }

    private static void create(KubernetesClient client, String name, Map<String, Object> data) {
        String[] keyValues = data.entrySet().stream().flatMap(e -> Stream.of(e.getKey(), String.valueOf(e.getValue())))
                .toArray(String[]::new);
        client.resource(Samples.secret(NS, name, keyValues)).create();
    }
}
