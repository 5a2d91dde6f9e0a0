package org.openstack.glanceimport.status;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.javaoperatorsdk.operator.api.reconciler.Context;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.imagecache.ImageCachePodStatus;
import org.openstack.glanceimport.api.imagecache.ImageCacheStatus;
import org.openstack.glanceimport.config.GlanceApiConfigRenderer;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.runtime.Secondaries;

/** status.imageCache: each pod's cache claim and when its maintenance last completed, from the informers' caches. */
public final class ImageCacheStatusBuilder {

    private ImageCacheStatusBuilder() {
    }

    public static ImageCacheStatus of(GlanceAPI api, int pods, Context<GlanceAPI> context) {
        if (api.getSpec().imageCache == null) {
            return null;
        }
        ImageCacheStatus status = new ImageCacheStatus();
        status.size = api.getSpec().imageCache.size.toString();
        status.maxSizeBytes = GlanceApiConfigRenderer.cacheMaxSizeBytes(api.getSpec().imageCache);
        for (int i = 0; i < pods; i++) {
            ImageCachePodStatus pod = new ImageCachePodStatus();
            pod.pod = Names.pod(api, i);
            pod.claim = Names.cacheClaim(api, i);
            pod.cronJob = Names.cacheCronJob(api, i);
            pod.phase = Secondaries.named(context, PersistentVolumeClaim.class, pod.claim)
                    .map(c -> c.getStatus() == null || c.getStatus().getPhase() == null ? "Pending" : c.getStatus().getPhase())
                    .orElse("Missing");
            pod.lastSuccessfulTime = Secondaries.named(context, CronJob.class, pod.cronJob)
                    .map(job -> job.getStatus() == null ? null : job.getStatus().getLastSuccessfulTime()).orElse(null);
            status.pods.add(pod);
        }
        return status;
    }
}
