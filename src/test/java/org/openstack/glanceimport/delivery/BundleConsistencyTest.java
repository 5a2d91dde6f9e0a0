package org.openstack.glanceimport.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.openstack.glanceimport.delivery.OperatorBundleMetadata;
import org.openstack.glanceimport.dependent.OperandImage;

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

    @Test
    void descriptorsCoverEveryTopLevelSpecAndStatusField() {
        for (CRDDescription owned : csv.getSpec().getCustomresourcedefinitions().getOwned()) {
            CustomResourceDefinition crd = Manifests.crd(Manifests.BUNDLE_MANIFESTS.resolve(owned.getName() + "-v1.crd.yml"));
            var schema = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties();
            assertEquals(schema.get("spec").getProperties().keySet(),
                    owned.getSpecDescriptors().stream().map(d -> d.getPath()).collect(Collectors.toSet()), owned.getKind());
            assertEquals(schema.get("status").getProperties().keySet(),
                    owned.getStatusDescriptors().stream().map(d -> d.getPath()).collect(Collectors.toSet()), owned.getKind());
            assertTrue(owned.getStatusDescriptors().stream().anyMatch(d -> d.getXDescriptors().contains(BundleFinisher.CONDITIONS)));
            assertNotNull(owned.getDisplayName());
            assertNotNull(owned.getDescription());
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
