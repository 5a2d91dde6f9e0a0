package org.openstack.glanceimport.delivery;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.ClusterServiceVersion;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.InstallMode;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.upgrade.PreviousRelease;

/**
 * OLM's conditions for this bundle to upgrade the previous release's, checked against that release's own bundle (read
 * from its commit): same package and channel, this CSV replaces its CSV by name and skips its version, a higher
 * version, every CRD it owned still owned, every version its CRDs served still served (stored objects stay readable),
 * and every install mode it supported still supported (an OperatorGroup made for it keeps working). Whether the stored
 * objects pass the new schemas, which OLM also checks before it replaces CRDs, is UpgradeFromPreviousReleaseIT's part.
 * The Go validators (operator-sdk bundle validate) are not installable here.
 */
class OlmUpgradeFromPreviousReleaseTest {

    private final ClusterServiceVersion current = Manifests.csv();
    private final ClusterServiceVersion previous = Manifests.SERIALIZATION.unmarshal(
            atPrevious("bundle/manifests/" + OperatorBundleMetadata.BUNDLE + ".clusterserviceversion.yaml"), ClusterServiceVersion.class);

    private static String atPrevious(String path) {
        try {
            Process git = new ProcessBuilder("git", "show", PreviousRelease.COMMIT + ":" + path).start();
            String out = new String(git.getInputStream().readAllBytes());
            assertEquals(0, git.waitFor(), "git show " + PreviousRelease.COMMIT + ":" + path + " (a clone with the release's commit)");
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void thisBundleReplacesThePreviousOne() {
        assertEquals(PreviousRelease.VERSION, previous.getSpec().getVersion());
        assertEquals(previous.getMetadata().getName(), current.getSpec().getReplaces());
        assertTrue(Release.compare(current.getSpec().getVersion(), previous.getSpec().getVersion()) > 0);
        assertTrue(OlmUpgradePolicyTest.inRange(current.getMetadata().getAnnotations().get("olm.skipRange"), previous.getSpec().getVersion()));
        String was = atPrevious("bundle/metadata/annotations.yaml");
        String now = Manifests.read(Manifests.BUNDLE.resolve("metadata/annotations.yaml"));
        for (String key : List.of("operators.operatorframework.io.bundle.package.v1", "operators.operatorframework.io.bundle.channels.v1",
                "operators.operatorframework.io.bundle.channel.default.v1")) {
            assertEquals(line(was, key), line(now, key), key);
        }
    }

    @Test
    void whatThePreviousOneOwnedAndServedStays() {
        Set<String> owned = current.getSpec().getCustomresourcedefinitions().getOwned().stream().map(o -> o.getName() + " " + o.getVersion())
                .collect(Collectors.toSet());
        previous.getSpec().getCustomresourcedefinitions().getOwned().forEach(o -> assertTrue(owned.contains(o.getName() + " " + o.getVersion()),
                "no longer owned: " + o.getName() + " " + o.getVersion()));
        for (var o : previous.getSpec().getCustomresourcedefinitions().getOwned()) {
            String file = o.getName() + "-v1.crd.yml";
            CustomResourceDefinition was = Manifests.SERIALIZATION.unmarshal(atPrevious("bundle/manifests/" + file), CustomResourceDefinition.class);
            CustomResourceDefinition now = Manifests.crd(Manifests.BUNDLE_MANIFESTS.resolve(file));
            Set<String> served = now.getSpec().getVersions().stream().filter(CustomResourceDefinitionVersion::getServed)
                    .map(CustomResourceDefinitionVersion::getName).collect(Collectors.toSet());
            was.getSpec().getVersions().stream().filter(CustomResourceDefinitionVersion::getServed)
                    .forEach(v -> assertTrue(served.contains(v.getName()), file + " no longer serves " + v.getName()));
            assertEquals(was.getSpec().getScope(), now.getSpec().getScope(), file);
            assertEquals(was.getSpec().getNames().getKind(), now.getSpec().getNames().getKind(), file);
        }
        Map<String, Boolean> modes = current.getSpec().getInstallModes().stream()
                .collect(Collectors.toMap(InstallMode::getType, InstallMode::getSupported));
        previous.getSpec().getInstallModes().stream().filter(InstallMode::getSupported)
                .forEach(m -> assertEquals(Boolean.TRUE, modes.get(m.getType()), "install mode " + m.getType()));
    }

    private static String line(String yaml, String key) {
        return yaml.lines().filter(l -> l.trim().startsWith(key + ":")).findFirst().orElse(key + " missing").trim();
    }
}
