package org.openstack.glanceimport.delivery;

import io.fabric8.openshift.api.model.operatorhub.v1alpha1.ClusterServiceVersion;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upgrade policy of docs/upgrade-notes.md (channel alpha; each release `replaces` the previous CSV and widens `olm.skipRange`
 * to `>=0.0.0 <new`), applied to the checked-in CSV as the next release would apply it, and checked against OLM's rules
 * for a CSV to replace another: same package and channel, the replaced CSV named exactly, its version inside the skip
 * range, a higher version, and every CRD version the old one stores still served.
 */
class OlmUpgradePolicyTest {

    private final ClusterServiceVersion current = Manifests.csv();

    /** The next release's CSV, made from this one by the steps of docs/upgrade-notes.md. */
    private ClusterServiceVersion next(String version) {
        ClusterServiceVersion next = Manifests.SERIALIZATION.clone(current);
        next.getSpec().setVersion(version);
        next.getMetadata().setName(OperatorBundleMetadata.BUNDLE + ".v" + version);
        next.getSpec().setReplaces(current.getMetadata().getName());
        next.getMetadata().getAnnotations().put("olm.skipRange", ">=0.0.0 <" + version);
        return next;
    }

    @Test
    void theNextReleaseCanReplaceThisOne() {
        assertEquals(OperatorBundleMetadata.BUNDLE + ".v" + current.getSpec().getVersion(), current.getMetadata().getName());
        String replaced = current.getSpec().getReplaces().substring((OperatorBundleMetadata.BUNDLE + ".v").length());
        assertTrue(compare(replaced, current.getSpec().getVersion()) < 0, "replaces an older release: " + replaced);
        assertTrue(inRange(current.getMetadata().getAnnotations().get("olm.skipRange"), replaced), "the replaced release is skipped too");
        assertTrue(inRange(current.getMetadata().getAnnotations().get("olm.skipRange"), "0.0.9"), "earlier builds are skipped");
        assertTrue(!inRange(current.getMetadata().getAnnotations().get("olm.skipRange"), current.getSpec().getVersion()),
                "a CSV's skipRange stops below its own version");

        String[] v = current.getSpec().getVersion().split("\\.");
        ClusterServiceVersion next = next(v[0] + "." + (Integer.parseInt(v[1]) + 1) + ".0");
        assertEquals(current.getMetadata().getName(), next.getSpec().getReplaces());
        assertTrue(compare(next.getSpec().getVersion(), current.getSpec().getVersion()) > 0);
        assertTrue(inRange(next.getMetadata().getAnnotations().get("olm.skipRange"), current.getSpec().getVersion()));
        // same CRDs: every version stored now is served next (no conversion needed)
        current.getSpec().getCustomresourcedefinitions().getOwned().forEach(o -> assertTrue(next.getSpec()
                .getCustomresourcedefinitions().getOwned().stream().anyMatch(n -> n.getName().equals(o.getName())
                        && n.getVersion().equals(o.getVersion())), o.getName()));
        String annotations = Manifests.read(Manifests.BUNDLE.resolve("metadata/annotations.yaml"));
        assertTrue(annotations.contains("operators.operatorframework.io.bundle.channels.v1: alpha"));
        assertTrue(annotations.contains("operators.operatorframework.io.bundle.channel.default.v1: alpha"));
    }

    /** OLM's semver ranges as this policy writes them: ">=a <b". */
    static boolean inRange(String range, String version) {
        String low = range.split(" ")[0].substring(2);
        String high = range.split(" ")[1].substring(1);
        return compare(version, low) >= 0 && compare(version, high) < 0;
    }

    static int compare(String a, String b) {
        return Release.compare(a, b);
    }
}
