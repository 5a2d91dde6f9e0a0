package org.openstack.glanceimport.delivery;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceImportStaging;
import org.openstack.glanceimport.tools.Canonical;

/**
 * The CRDs checked into bundle/ and helm/ are exactly what the build generates from the CR classes, so a change to the
 * API without `make bundle helm` fails here.
 *
 * <p>
 * Why not compare against target/kubernetes/*-v1.yml: surefire runs in the test phase, before `package`, so on a clean
 * checkout that directory does not exist yet, and after an API change it still holds the previous build's CRDs (a stale
 * comparison that would pass). Instead this test runs the same generator QOSDK runs at build time (fabric8
 * crd-generator v2, CRD version v1, same version as QOSDK's, pinned by the fabric8 BOM) on the compiled classes, which
 * `test-compile` has just rebuilt. That the in-test generation matches QOSDK's is CrdBuildOutputIT's check, after
 * `package` has written target/kubernetes.
 */
class CrdDriftTest {

    static Map<String, CustomResourceDefinition> generated = new TreeMap<>();

    @BeforeAll
    static void generate(@TempDir Path out) throws IOException {
        generated = generateFromClasses(out);
    }

    /** The CRDs of the CR classes as compiled, by name, generated into {@code out} as QOSDK generates them. */
    static Map<String, CustomResourceDefinition> generateFromClasses(Path out) throws IOException {
        Map<String, CustomResourceDefinition> crds = new TreeMap<>();
        new CRDGenerator().customResourceClasses(GlanceAPI.class, GlanceImportStaging.class).forCRDVersions("v1")
                .inOutputDir(out.toFile()).generate();
        for (Path f : Manifests.files(out, "-v1.yml")) {
            CustomResourceDefinition crd = Manifests.crd(f);
            crds.put(crd.getMetadata().getName(), crd);
        }
        assertEquals(2, crds.size(), "one CRD per CR class");
        return crds;
    }

    @Test
    void bundleCrdsEqualGenerated() {
        assertSame("bundle/manifests", Manifests.files(Manifests.BUNDLE_MANIFESTS, ".crd.yml"));
    }

    @Test
    void helmCrdsEqualGenerated() {
        assertSame("helm/crds", Manifests.files(Manifests.CHART.resolve("crds"), ".yml"));
    }

    static String yaml(CustomResourceDefinition crd) {
        return Canonical.yaml(Manifests.SERIALIZATION.asYaml(crd));
    }

    private static void assertSame(String where, java.util.List<Path> files) {
        Map<String, CustomResourceDefinition> checkedIn = new TreeMap<>();
        files.forEach(f -> {
            CustomResourceDefinition crd = Manifests.crd(f);
            checkedIn.put(crd.getMetadata().getName(), crd);
        });
        assertFalse(checkedIn.isEmpty(), where + " has no CRD");
        assertEquals(generated.keySet(), checkedIn.keySet(), where + ": CRD names; run `make bundle helm`");
        // compared as canonical YAML of the parsed objects: formatting does not matter, content does, and a failure
        // shows a readable diff
        generated.forEach((name, crd) -> assertEquals(yaml(crd), yaml(checkedIn.get(name)),
                where + ": " + name + " differs from the CR classes; run `make bundle helm`"));
    }
}
