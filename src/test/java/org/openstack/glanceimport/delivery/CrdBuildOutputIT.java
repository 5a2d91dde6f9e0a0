package org.openstack.glanceimport.delivery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * CrdDriftTest's in-test generation equals what QOSDK wrote at build time (target/kubernetes/*-v1.yml), so that its
 * comparison of bundle/ and helm/ stands for the build's. A failsafe test: `package` has written target/kubernetes
 * from the classes just compiled before it runs (`make test` runs verify). A missing, incomplete or older-than-the-API
 * target/kubernetes fails: it would compare nothing, or the previous build.
 */
class CrdBuildOutputIT {

    static final Path BUILT = Manifests.ROOT.resolve("target/kubernetes");
    static final Path API_CLASSES = Manifests.ROOT.resolve("target/classes/org/openstack/glanceimport/api");

    @Test
    void buildOutputEqualsInTestGeneration(@TempDir Path out) throws IOException {
        Map<String, CustomResourceDefinition> generated = CrdDriftTest.generateFromClasses(out);
        if (!Files.isDirectory(BUILT)) {
            throw new AssertionError("no " + BUILT + ": `./mvnw package` (make generate) writes it; this test runs after "
                    + "package in `./mvnw verify`");
        }
        FileTime newestClass = newest(API_CLASSES, ".class");
        Map<String, CustomResourceDefinition> built = new TreeMap<>();
        for (Path f : Manifests.files(BUILT, "-v1.yml")) {
            if (Files.getLastModifiedTime(f).compareTo(newestClass) < 0) {
                throw new AssertionError(f + " is older than the API classes it is generated from (" + newestClass
                        + "): a previous build's; run `./mvnw package`");
            }
            CustomResourceDefinition crd = Manifests.crd(f);
            built.put(crd.getMetadata().getName(), crd);
        }
        assertEquals(generated.keySet(), built.keySet(), BUILT + ": CRD names");
        generated.forEach((name, crd) -> assertEquals(CrdDriftTest.yaml(crd), CrdDriftTest.yaml(built.get(name)),
                BUILT + ": " + name + " differs from the in-test generation (CrdDriftTest's generator no longer matches QOSDK's)"));
    }

    /** The newest modification time of the files ending in {@code suffix} below {@code dir}, subpackages included. */
    private static FileTime newest(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).map(f -> {
                try {
                    return Files.getLastModifiedTime(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).max(FileTime::compareTo).orElseThrow(() -> new AssertionError("no compiled API classes in " + dir));
        }
    }
}
