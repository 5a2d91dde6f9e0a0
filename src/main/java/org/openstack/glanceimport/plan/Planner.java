package org.openstack.glanceimport.plan;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.autoscaling.ImportAutoscaling;
import org.openstack.glanceimport.autoscaling.LocalFileStoreLimit;
import org.openstack.glanceimport.autoscaling.ScaleDownGuard;
import org.openstack.glanceimport.config.RenderedConfig;
import org.openstack.glanceimport.glance.StagedImageScans;
import org.openstack.glanceimport.rollout.UndrainedPodRoll;

/**
 * Computes a reconcile's plan from the spec, the rendered inputs and what the caches and the last scan of Glance's
 * database show. No request of its own: the one question that cannot wait for a scan (is anything staged on the pods a
 * scale-down removes?) is asked through {@link Observed#stagedOn}, and only when a scale-down is wanted.
 */
public final class Planner {

    /**
     * What this reconcile sees.
     *
     * @param scan the last scan of Glance's database, empty before the first
     * @param running the replicas the StatefulSet has now, 0 without one
     * @param claims the GlanceAPI's claims in the cache, by name
     * @param expandable whether a claim's StorageClass allows it to grow
     * @param stagedOn which images are staged on given stage hosts (asked for a scale-down only)
     * @param standIns the stand-ins the stranded-image handling asked for
     * @param sccAdmission whether pods are admitted by SecurityContextConstraints
     * @param routesServed whether the cluster serves route.openshift.io/v1 Routes
     * @param glanceCaPem the CA bundle the pods' serving certificate chains to (spec.tls's ca.crt), null without tls
     * @param pods the GlanceAPI's glance-api pods in the cache
     * @param work what Glance is doing now (asked only while pods without the import drain are to be replaced)
     */
    public record Observed(Optional<StagedImageScans.Scan> scan, int running, Function<String, PersistentVolumeClaim> claims,
            Predicate<PersistentVolumeClaim> expandable, ScaleDownGuard.StagedOn stagedOn, Map<Integer, String> standIns,
            boolean sccAdmission, boolean routesServed, String glanceCaPem, Collection<Pod> pods, UndrainedPodRoll.Work work,
            Instant now) {
    }

    private Planner() {
    }

    public static ReconcilePlan plan(GlanceAPI api, RenderedConfig rendered, Observed seen) {
        BigDecimal stagingBytes = Quantity.getAmountInBytes(rendered.staging().getSpec().storage.size);
        ImportAutoscaling.Outcome scaling = ImportAutoscaling.decide(api, seen.scan(), seen.running(), stagingBytes, seen.claims(),
                seen.expandable(), seen.now());
        LocalFileStoreLimit.Decision localFiles = LocalFileStoreLimit.decide(api.getSpec(), scaling.target(), seen.running());
        ScaleDownGuard.Decision hold = ScaleDownGuard.decide(api, localFiles.allowed(), seen.running(), seen.stagedOn(), seen.now());
        UndrainedPodRoll.Decision roll = UndrainedPodRoll.decide(api, seen.pods(), seen.running(), seen.work(), seen.now());
        return new ReconcilePlan(rendered, localFiles.allowed(), hold.replicas(), scaling.grow(), seen.standIns(), seen.sccAdmission(),
                seen.routesServed(), seen.glanceCaPem(), stagingBytes, scaling, localFiles, hold, roll, new News());
    }
}
