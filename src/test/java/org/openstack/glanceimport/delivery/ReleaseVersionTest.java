package org.openstack.glanceimport.delivery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.ClusterServiceVersion;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.RelatedImage;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.upgrade.PreviousRelease;

/**
 * One version everywhere: the pom's {@code <version>} is what the checked-in CSV (name, version, containerImage, the
 * Deployment's image, olm.skipRange), the chart (version, appVersion, image) and every install command in the docs say,
 * and the release the CSV replaces is the one the upgrade test installs first. Fails when one piece is bumped without
 * the others (then run `make bundle helm`, or fix the document it names).
 */
class ReleaseVersionTest {

    private static final String VERSION = Release.version();
    /** Image references and build outputs that carry a version: operator and bundle images, the native binary. */
    private static final Pattern VERSIONED = Pattern.compile(
            "glance-import-operator(?:-bundle)?:v?(\\d+\\.\\d+\\.\\d+)|glance-import-operator-(\\d+\\.\\d+\\.\\d+)-runner");
    /** History: what earlier releases were is written there on purpose (the lead's CHANGELOG and upgrade notes). */
    private static final List<String> HISTORY = List.of("CHANGELOG.md", "upgrade-notes.md");

    @Test
    void theBundleSaysThePomsVersion() {
        ClusterServiceVersion csv = Manifests.csv();
        assertEquals(OperatorBundleMetadata.BUNDLE + ".v" + VERSION, csv.getMetadata().getName());
        assertEquals(VERSION, csv.getSpec().getVersion());
        String image = Release.IMAGE + ":" + VERSION;
        assertEquals(image, csv.getMetadata().getAnnotations().get("containerImage"));
        assertEquals(image, csv.getSpec().getInstall().getSpec().getDeployments().get(0).getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage());
        assertTrue(csv.getSpec().getRelatedImages().stream().map(RelatedImage::getImage).anyMatch(image::equals));
        assertEquals(">=0.0.0 <" + VERSION, csv.getMetadata().getAnnotations().get("olm.skipRange"));
    }

    @Test
    void theBundleReplacesTheReleaseTheUpgradeTestStartsFrom() {
        String previous = Release.previous();
        assertEquals(PreviousRelease.VERSION, previous, "UpgradeFromPreviousReleaseIT upgrades from another release than the CSV replaces");
        assertEquals(OperatorBundleMetadata.BUNDLE + ".v" + previous, Manifests.csv().getSpec().getReplaces());
        assertTrue(Release.compare(previous, VERSION) < 0, previous + " is not older than " + VERSION);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theChartSaysThePomsVersion() {
        Map<String, Object> chart = Serialization.unmarshal(Manifests.read(Manifests.CHART.resolve("Chart.yaml")), Map.class);
        assertEquals(VERSION, chart.get("version"));
        assertEquals(VERSION, chart.get("appVersion"));
        Map<String, Object> values = Serialization.unmarshal(Manifests.read(Manifests.CHART.resolve("values.yaml")), Map.class);
        assertEquals(Release.IMAGE + ":" + VERSION, ((Map<String, Object>) values.get("app")).get("image"));
    }

    @Test
    void everyInstallCommandAndImageTagInTheDocsIsThisVersion() throws IOException {
        List<String> stale = new ArrayList<>();
        List<Path> files = new ArrayList<>(List.of(Path.of("README.md"), Path.of("helm/README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs")); Stream<Path> docker = Files.list(Path.of("src/main/docker"))) {
            docs.filter(f -> f.toString().endsWith(".md")).forEach(files::add);
            docker.forEach(files::add);
        }
        int seen = 0;
        for (Path file : files.stream().filter(f -> !HISTORY.contains(f.getFileName().toString())).sorted().toList()) {
            Matcher m = VERSIONED.matcher(Files.readString(file));
            while (m.find()) {
                seen++;
                String v = m.group(1) != null ? m.group(1) : m.group(2);
                if (!VERSION.equals(v)) {
                    stale.add(file + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), stale, "not the pom's version " + VERSION);
        assertTrue(seen >= 10, "the install commands were found (" + seen + ")");
    }

    /** The file-based catalog of docs/install.md puts this release on the channel with the CSV's own upgrade edge. */
    @Test
    void theCatalogExampleNamesTheBundlesUpgradeEdge() {
        ClusterServiceVersion csv = Manifests.csv();
        String install = Manifests.read(Manifests.ROOT.resolve("docs/install.md"));
        String entry = "  - name: " + csv.getMetadata().getName() + "\n    replaces: " + csv.getSpec().getReplaces()
                + "\n    skipRange: '" + csv.getMetadata().getAnnotations().get("olm.skipRange") + "'\n";
        assertTrue(install.contains(entry), "docs/install.md's channel lacks\n" + entry);
        assertTrue(install.contains("  - name: " + csv.getSpec().getReplaces() + "\n"), "the replaced release is on the channel too");
    }
}
