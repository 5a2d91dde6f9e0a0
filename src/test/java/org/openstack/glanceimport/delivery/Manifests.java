package org.openstack.glanceimport.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.ClusterServiceVersion;

import org.openstack.glanceimport.tools.BundleFinisher;

/** Reading the checked-in delivery artifacts (bundle/, helm/) and helm's output with fabric8's serialization. */
public final class Manifests {

    public static final KubernetesSerialization SERIALIZATION = BundleFinisher.SERIALIZATION;
    /** surefire runs in the module directory */
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path BUNDLE = ROOT.resolve("bundle");
    public static final Path BUNDLE_MANIFESTS = BUNDLE.resolve("manifests");
    public static final Path CHART = ROOT.resolve("helm");

    private Manifests() {
    }

    /** Every object of a multi-document YAML text (helm template output, kubernetes.yml). */
    static List<HasMetadata> objects(String yaml) {
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
                out.add(SERIALIZATION.unmarshal(doc, HasMetadata.class));
            }
        }
        return out;
    }

    static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> files(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CustomResourceDefinition crd(Path file) {
        return SERIALIZATION.unmarshal(read(file), CustomResourceDefinition.class);
    }

    public static ClusterServiceVersion csv() {
        try {
            return SERIALIZATION.unmarshal(read(BundleFinisher.csvFile(BUNDLE_MANIFESTS)), ClusterServiceVersion.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
