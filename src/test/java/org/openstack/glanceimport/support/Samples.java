package org.openstack.glanceimport.support;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceImportStaging;
import org.openstack.glanceimport.support.glance.GlanceTables;
import org.openstack.glanceimport.support.glance.H2GlanceDatabase;

/** The user-facing samples/ files, loaded as a user would apply them, plus small builders for test inputs. */
public final class Samples {

    public static final String DB_PASSWORD = "change-me-db-password";
    public static final String SERVICE_PASSWORD = "change-me-service-password";

    private Samples() {
    }

    public static List<HasMetadata> load(KubernetesClient client, String file) {
        return load(client, Path.of("samples", file));
    }

    /** A samples file of another tree (an earlier release's). */
    public static List<HasMetadata> load(KubernetesClient client, Path file) {
        try (InputStream in = new FileInputStream(file.toFile())) {
            return client.load(in).items();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Applies a sample file into a namespace, as `kubectl apply -n ns -f samples/file` would. */
    public static void apply(KubernetesClient client, String namespace, String file) {
        apply(client, namespace, file, item -> true);
    }

    /** The same for the objects of the file that {@code which} accepts. */
    public static void apply(KubernetesClient client, String namespace, String file, java.util.function.Predicate<HasMetadata> which) {
        apply(client, namespace, file, which, item -> item);
    }

    /** The same, each object changed by {@code edit} first. */
    public static void apply(KubernetesClient client, String namespace, String file, java.util.function.Predicate<HasMetadata> which,
            java.util.function.UnaryOperator<HasMetadata> edit) {
        apply(client, namespace, load(client, file).stream().filter(which).map(edit).toList());
    }

    /** Applies objects (a samples file's) into a namespace, as `kubectl apply -n ns -f` would. */
    public static void apply(KubernetesClient client, String namespace, List<HasMetadata> items) {
        for (HasMetadata item : items) {
            item.getMetadata().setNamespace(namespace);
            // a merge patch, as `kubectl apply` would send: no resourceVersion, no conflict with the operator's status writes
            client.resource(item).inNamespace(namespace).createOr(r -> {
                if (item instanceof GlanceAPI || "GlanceAPI".equals(item.getKind())) {
                    // a merge patch replaces lists; the mock server appends to them instead, so clear those the item sets
                    r.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{" + String.join(",", listsOf(item).stream()
                            .map(k -> "\"" + k + "\":null").toList()) + "}}");
                }
                return r.patch(PatchContext.of(PatchType.JSON_MERGE), item);
            });
        }
    }

    /** The list-valued fields of a GlanceAPI's spec, and stores always. */
    @SuppressWarnings("unchecked")
    private static java.util.Set<String> listsOf(HasMetadata item) {
        Object spec = Serialization.unmarshal(Serialization.asJson(item), java.util.Map.class).get("spec");
        java.util.Set<String> lists = new java.util.TreeSet<>(List.of("stores"));
        if (spec instanceof java.util.Map<?, ?> fields) {
            fields.forEach((k, v) -> {
                if (v instanceof List) {
                    lists.add((String) k);
                }
            });
        }
        return lists;
    }

    /** Typed copy of the sample's object of that kind (the client may load custom resources as generic ones). */
    public static <T extends HasMetadata> T find(KubernetesClient client, String file, Class<T> type) {
        String kind = HasMetadata.getKind(type);
        return load(client, file).stream().filter(item -> kind.equals(item.getKind()))
                .map(item -> Serialization.unmarshal(Serialization.asJson(item), type)).findFirst().orElseThrow();
    }

    public static GlanceAPI glanceApi(KubernetesClient client, String file) {
        return find(client, file, GlanceAPI.class);
    }

    public static GlanceImportStaging staging(KubernetesClient client, String file) {
        return find(client, file, GlanceImportStaging.class);
    }

    /** {@code count} copies of the policy of {@code file}, named policy-0, policy-1, ... */
    public static void policies(KubernetesClient client, String ns, String file, int count) {
        GlanceImportStaging policy = staging(client, file);
        for (int i = 0; i < count; i++) {
            policy.getMetadata().setName("policy-" + i);
            policy.getMetadata().setNamespace(ns);
            client.resource(policy).create();
        }
    }

    /**
     * The GlanceAPI with shared-file.yaml's store (a file store on a ReadWriteMany claim every pod mounts), which may run
     * any number of pods, and that sample's claim created in {@code ns} when absent.
     */
    public static GlanceAPI onSharedClaim(KubernetesClient client, String ns, GlanceAPI api) {
        PersistentVolumeClaim claim = find(client, SHARED_FILE, PersistentVolumeClaim.class);
        claim.getMetadata().setNamespace(ns);
        if (client.persistentVolumeClaims().inNamespace(ns).withName(claim.getMetadata().getName()).get() == null) {
            client.resource(claim).create();
        }
        api.getSpec().stores = glanceApi(client, SHARED_FILE).getSpec().stores;
        return api;
    }

    public static final String SHARED_FILE = "shared-file.yaml";

    /**
     * {@code count} copies of minimal.yaml's GlanceAPI, glance-i using policy-i, each with {@code replicas} pods (on
     * shared-file.yaml's claim when more than one).
     */
    public static void glanceApis(KubernetesClient client, String ns, int count, int replicas) {
        GlanceAPI api = glanceApi(client, "minimal.yaml");
        if (replicas > 1) {
            onSharedClaim(client, ns, api);
        }
        for (int i = 0; i < count; i++) {
            api.getMetadata().setName("glance-" + i);
            api.getMetadata().setNamespace(ns);
            api.getSpec().stagingRef = "policy-" + i;
            api.getSpec().replicas = replicas;
            client.resource(api).create();
        }
    }

    /**
     * An edit of the samples that points their glance-db Secret at {@code database} of H2GlanceDatabase, a database of
     * Glance's tables the operator reaches (the samples' own host does not resolve here).
     */
    public static java.util.function.UnaryOperator<HasMetadata> reachableDatabase(String ns, String database) {
        return item -> {
            if (item instanceof Secret s && "glance-db".equals(s.getMetadata().getName())) {
                s.getStringData().putAll(java.util.Map.of("host", ns + H2GlanceDatabase.HOST_SUFFIX, "database", database,
                        "username", GlanceTables.USER, "password", GlanceTables.PASSWORD));
            }
            return item;
        };
    }

    /** An edit of the samples that sets one field of the spec of the GlanceAPI named {@code name} (samples load untyped). */
    public static java.util.function.UnaryOperator<HasMetadata> glanceApiField(String name, String field, Object value) {
        return glanceApiFields(name, java.util.Map.of(field, value));
    }

    /** An edit of the samples that sets fields of the spec of the GlanceAPI named {@code name}. */
    @SuppressWarnings("unchecked")
    public static java.util.function.UnaryOperator<HasMetadata> glanceApiFields(String name, java.util.Map<String, Object> fields) {
        return item -> {
            if (item instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource r && "GlanceAPI".equals(r.getKind())
                    && name.equals(r.getMetadata().getName())) {
                ((java.util.Map<String, Object>) r.getAdditionalProperties().get("spec")).putAll(fields);
            }
            return item;
        };
    }

    /** The object without the referenced-Secret label the samples' Secrets carry, as a user's Secret would be. */
    public static HasMetadata unlabelled(HasMetadata item) {
        if (item.getMetadata().getLabels() != null) {
            item.getMetadata().getLabels().remove("import.glance.openstack.org/referenced");
        }
        return item;
    }

    public static Secret secret(String ns, String name, String... keyValues) {
        SecretBuilder b = new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata();
        for (int i = 0; i < keyValues.length; i += 2) {
            b.addToStringData(keyValues[i], keyValues[i + 1]);
        }
        return b.build();
    }

    /** A test certificate file (src/test/resources/tls): a CA and certificates for GlanceAPI glance-tls in test namespaces. */
    public static String tlsFile(String name) {
        try {
            return java.nio.file.Files.readString(Path.of("src/test/resources/tls", name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
