package org.openstack.glanceimport.delivery;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.CRDDescription;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.ClusterServiceVersion;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.InstallMode;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.pod.OperandImage;
import org.openstack.glanceimport.tools.BundleFinisher;

/** The checked-in OLM bundle is complete and agrees with the code, the CRDs and itself. */
class BundleConsistencyTest {

    final ClusterServiceVersion csv = Manifests.csv();

    @Test
    void ownedCrdsMatchTheCrClasses() {
        Set<String> expected = ExpectedRbac.RECONCILERS.stream().map(r -> {
            Class<? extends HasMetadata> cr = ExpectedRbac.typeArgument(r, io.javaoperatorsdk.operator.api.reconciler.Reconciler.class);
            return HasMetadata.getKind(cr) + " " + HasMetadata.getFullResourceName(cr) + " " + HasMetadata.getVersion(cr);
        }).collect(Collectors.toSet());
        Set<String> owned = csv.getSpec().getCustomresourcedefinitions().getOwned().stream()
                .map(o -> o.getKind() + " " + o.getName() + " " + o.getVersion()).collect(Collectors.toSet());
        assertEquals(expected, owned);
        Set<String> crdFiles = Manifests.files(Manifests.BUNDLE_MANIFESTS, ".crd.yml").stream()
                .map(f -> Manifests.crd(f).getMetadata().getName()).collect(Collectors.toSet());
        assertEquals(owned.stream().map(o -> o.split(" ")[1]).collect(Collectors.toSet()), crdFiles, "a CRD file per owned CRD");
    }

    /**
     * The console's form and details page: every spec field a sample sets has a descriptor, every descriptor's path is
     * a field of the CRD's schema, and the fields users pick or read get the widget for it.
     */
    @Test
    void descriptorsCoverWhatTheSamplesSetAndNameOnlyRealFields() throws Exception {
        Set<String> sampled = new java.util.TreeSet<>();
        for (Path sample : Manifests.files(Path.of("samples"), ".yaml")) {
            for (var cr : BundleFinisher.examples(sample)) {
                var spec = ((io.fabric8.kubernetes.api.model.GenericKubernetesResource) cr).getAdditionalProperties().get("spec");
                leaves(cr.getKind() + ":", spec, sampled);
            }
        }
        Set<String> described = new java.util.TreeSet<>();
        for (CRDDescription owned : csv.getSpec().getCustomresourcedefinitions().getOwned()) {
            CustomResourceDefinition crd = Manifests.crd(Manifests.BUNDLE_MANIFESTS.resolve(owned.getName() + "-v1.crd.yml"));
            var schema = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties();
            for (var d : owned.getSpecDescriptors()) {
                assertNotNull(field(schema.get("spec"), d.getPath()), owned.getKind() + " spec descriptor " + d.getPath() + " is no field");
                described.add(owned.getKind() + ":" + d.getPath());
            }
            for (var d : owned.getStatusDescriptors()) {
                assertNotNull(field(schema.get("status"), d.getPath()), owned.getKind() + " status descriptor " + d.getPath() + " is no field");
            }
            assertTrue(owned.getStatusDescriptors().stream().anyMatch(d -> d.getPath().equals("conditions")
                    && d.getXDescriptors().contains(BundleFinisher.CONDITIONS)), owned.getKind());
            assertNotNull(owned.getDisplayName());
            assertNotNull(owned.getDescription());
        }
        Set<String> missing = new java.util.TreeSet<>(sampled);
        missing.removeIf(path -> described.stream().anyMatch(d -> path.equals(d) || path.startsWith(d + ".")));
        assertEquals(Set.of(), missing, "sample fields without a descriptor");

        assertEquals(List.of("urn:alm:descriptor:com.tectonic.ui:podCount"), spec("GlanceAPI", "replicas"));
        assertEquals(List.of("urn:alm:descriptor:io.kubernetes:import.glance.openstack.org:v1beta1:GlanceImportStaging"),
                spec("GlanceAPI", "stagingRef"));
        assertEquals(List.of("urn:alm:descriptor:io.kubernetes:Secret"), spec("GlanceAPI", "databaseSecret"));
        assertTrue(spec("GlanceAPI", "stores[0].rbd.secretName").contains("urn:alm:descriptor:io.kubernetes:Secret"));
        assertTrue(spec("GlanceAPI", "tls.secretName").contains("urn:alm:descriptor:io.kubernetes:Secret"));
        assertTrue(spec("GlanceImportStaging", "storage.size").contains("urn:alm:descriptor:com.tectonic.ui:text"));
        assertTrue(spec("GlanceImportStaging", "storage.storageClassName").contains("urn:alm:descriptor:io.kubernetes:StorageClass"));
        assertTrue(spec("GlanceImportStaging", "storage.accessMode").stream().anyMatch(x -> x.startsWith(
                "urn:alm:descriptor:com.tectonic.ui:select:") && x.contains("ReadWriteOncePod")), spec("GlanceImportStaging", "storage.accessMode").toString());
        assertEquals(List.of("urn:alm:descriptor:org.w3:link"), status("GlanceAPI", "endpoint"));
        assertEquals(List.of("urn:alm:descriptor:io.kubernetes:PersistentVolumeClaim"), status("GlanceAPI", "stagingClaims[0].claim"));
        assertEquals(List.of("urn:alm:descriptor:com.tectonic.ui:podCount"), status("GlanceAPI", "readyReplicas"));
    }

    private List<String> spec(String kind, String path) {
        return owned(kind).getSpecDescriptors().stream().filter(d -> d.getPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no spec descriptor " + kind + " " + path)).getXDescriptors();
    }

    private List<String> status(String kind, String path) {
        return owned(kind).getStatusDescriptors().stream().filter(d -> d.getPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no status descriptor " + kind + " " + path)).getXDescriptors();
    }

    private CRDDescription owned(String kind) {
        return csv.getSpec().getCustomresourcedefinitions().getOwned().stream().filter(o -> o.getKind().equals(kind)).findFirst().orElseThrow();
    }

    /** The schema of a descriptor path (a.b, a[0].b), or null when the CRD has no such field. */
    static io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps field(
            io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps schema, String path) {
        var current = schema;
        for (String part : path.split("\\.")) {
            boolean indexed = part.endsWith("[0]");
            String name = indexed ? part.substring(0, part.length() - 3) : part;
            if (current == null || current.getProperties() == null || !current.getProperties().containsKey(name)) {
                return null;
            }
            current = current.getProperties().get(name);
            if (indexed) {
                current = current.getItems() == null ? null : current.getItems().getSchema();
            }
        }
        return current;
    }

    /** Paths of the values a sample sets, lists as [0]. */
    @SuppressWarnings("unchecked")
    private static void leaves(String prefix, Object value, Set<String> out) {
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            map.forEach((k, v) -> leaves(prefix + (prefix.endsWith(":") ? "" : ".") + k, v, out));
        } else if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?>) {
            list.forEach(item -> leaves(prefix + "[0]", item, out));
        } else {
            out.add(prefix);
        }
    }

    @Test
    void finishingAgainChangesNothing() throws Exception {
        // the CSV is the generator's output finished by BundleFinisher; finishing is a pure function of the bundle's
        // own CRDs, its Deployment and samples/minimal.yaml, so a stale CSV (edited CRD, sample or finisher) shows here
        String checkedIn = Manifests.read(BundleFinisher.csvFile(Manifests.BUNDLE_MANIFESTS));
        ClusterServiceVersion again = BundleFinisher.finish(Manifests.csv(), BundleFinisher.crds(Manifests.BUNDLE_MANIFESTS),
                BundleFinisher.examples(Path.of("samples/minimal.yaml")));
        assertEquals(checkedIn, BundleFinisher.toYaml(again), "run `make bundle`");
    }

    @Test
    void metadataIsSetAndDeterministic() {
        assertEquals("Glance Import Operator", csv.getSpec().getDisplayName());
        assertNotEquals("root", csv.getSpec().getProvider().getName());
        assertFalse(csv.getSpec().getMaintainers().isEmpty());
        assertTrue(csv.getSpec().getKeywords().contains("glance"));
        assertEquals("glance-import-operator.v" + csv.getSpec().getVersion(), csv.getMetadata().getName());
        assertEquals("image/svg+xml", csv.getSpec().getIcon().get(0).getMediatype());
        assertTrue(new String(Base64.getDecoder().decode(csv.getSpec().getIcon().get(0).getBase64data())).startsWith("<svg"));
        Map<String, String> annotations = csv.getMetadata().getAnnotations();
        assertFalse(annotations.containsKey("createdAt"), "no timestamps: `make bundle` must be reproducible");
        assertTrue(annotations.get("olm.skipRange").endsWith("<" + csv.getSpec().getVersion()));
        assertTrue(annotations.get("alm-examples").contains("\"GlanceAPI\""));
        assertEquals(Set.of("OwnNamespace", "SingleNamespace", "MultiNamespace", "AllNamespaces"),
                csv.getSpec().getInstallModes().stream().filter(InstallMode::getSupported).map(InstallMode::getType)
                        .collect(Collectors.toSet()));
        String annotationsYaml = Manifests.read(Manifests.BUNDLE.resolve("metadata/annotations.yaml"));
        assertTrue(annotationsYaml.contains("operators.operatorframework.io.bundle.package.v1: " + OperatorBundleMetadata.BUNDLE));
        assertTrue(Manifests.read(Manifests.BUNDLE.resolve("bundle.Dockerfile")).contains("COPY manifests /manifests/"));
        // the scorecard configuration ships as authored, and the bundle image says where it is
        assertEquals(Manifests.read(BundleFinisher.SCORECARD_SOURCE), Manifests.read(Manifests.BUNDLE.resolve("tests/scorecard/config.yaml")));
        String dockerfile = Manifests.read(Manifests.BUNDLE.resolve("bundle.Dockerfile"));
        assertTrue(dockerfile.contains("COPY tests/scorecard /tests/scorecard/"), dockerfile);
        BundleFinisher.SCORECARD_LABELS.forEach((k, v) -> {
            assertTrue(annotationsYaml.contains(k + ": " + v), k);
            assertTrue(dockerfile.contains("LABEL " + k + "=" + v), k);
        });
    }

    @Test
    void deploymentPinsTheOperandImageAndRunsRestricted() {
        var deployments = csv.getSpec().getInstall().getSpec().getDeployments();
        assertEquals(1, deployments.size());
        assertEquals("RollingUpdate", deployments.get(0).getSpec().getStrategy().getType(), "leader election allows overlapping pods");
        assertEquals(2, deployments.get(0).getSpec().getReplicas(), "two operator pods by default");
        var pod = deployments.get(0).getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        Map<String, EnvVar> env = c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        assertEquals(OperandImage.DEFAULT, env.get(OperandImage.ENV).getValue());
        assertEquals(csv.getMetadata().getAnnotations().get("containerImage"), c.getImage());
        assertTrue(csv.getSpec().getRelatedImages().stream().anyMatch(i -> i.getImage().equals(OperandImage.DEFAULT)));
        // OLM's target namespaces drive what the controllers watch
        assertEquals("metadata.annotations['olm.targetNamespaces']",
                env.get("QUARKUS_OPERATOR_SDK_CONTROLLERS_GLANCEAPI_NAMESPACES").getValueFrom().getFieldRef().getFieldPath());
        Restricted.assertRestricted(pod);
        assertEquals(List.of("/q/health/live", "/q/health/ready"),
                List.of(c.getLivenessProbe().getHttpGet().getPath(), c.getReadinessProbe().getHttpGet().getPath()));
    }
}
