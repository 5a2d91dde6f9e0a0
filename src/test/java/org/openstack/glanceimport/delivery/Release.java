package org.openstack.glanceimport.delivery;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The release as the build declares it: the pom's {@code <version>} (the one place to bump it) and the release it
 * replaces ({@code quarkus.operator-sdk.bundle.replaces} in application.properties).
 */
public final class Release {

    public static final String IMAGE = "quay.io/openstack-glance-import/glance-import-operator";
    public static final String BUNDLE_IMAGE = IMAGE + "-bundle";

    private Release() {
    }

    /** The pom's project version (the first {@code <version>} after the project's own artifactId). */
    public static String version() {
        Matcher m = Pattern.compile("<artifactId>glance-import-operator</artifactId>\\s*(?:<!--(?s:.*?)-->\\s*)?<version>([^<]+)</version>")
                .matcher(Manifests.read(Manifests.ROOT.resolve("pom.xml")));
        if (!m.find()) {
            throw new AssertionError("pom.xml names no project version");
        }
        return m.group(1);
    }

    /** The version of the release this one replaces, as application.properties names its CSV. */
    public static String previous() {
        Matcher m = Pattern.compile("(?m)^quarkus\\.operator-sdk\\.bundle\\.replaces=" + Pattern.quote(OperatorBundleMetadata.BUNDLE)
                + "\\.v(\\S+)$").matcher(Manifests.read(Manifests.ROOT.resolve(Path.of("src/main/resources/application.properties"))));
        if (!m.find()) {
            throw new AssertionError("application.properties names no release to replace (quarkus.operator-sdk.bundle.replaces)");
        }
        return m.group(1);
    }

    /** Semantic versions X.Y.Z compared numerically. */
    public static int compare(String a, String b) {
        int[] x = Arrays.stream(a.split("\\.")).mapToInt(Integer::parseInt).toArray();
        int[] y = Arrays.stream(b.split("\\.")).mapToInt(Integer::parseInt).toArray();
        for (int i = 0; i < 3; i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return 0;
    }
}
