package org.openstack.glanceimport.delivery;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A test in form only: `make helm` runs it through surefire ({@code -Dtest=CanonicalizeRun -Dcanonicalize=<dir>}) to put
 * the copied chart templates in {@link Canonical} form. Its name does not end in Test, so `make test` never selects it.
 */
class CanonicalizeRun {

    @Test
    void canonicalize() throws Exception {
        String dir = System.getProperty("canonicalize");
        Assumptions.assumeTrue(dir != null && !dir.isBlank(), "set -Dcanonicalize=<templates dir>");
        for (Path f : Manifests.files(Path.of(dir), ".yaml")) {
            Files.writeString(f, Canonical.yaml(Files.readString(f)));
        }
    }
}
