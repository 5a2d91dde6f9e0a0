package org.openstack.glanceimport.status;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import org.openstack.glanceimport.api.imagecache.ImageCacheStatus;
import org.openstack.glanceimport.exposure.Publication;
import org.openstack.glanceimport.keystone.RegistrationOutcome;
import org.openstack.glanceimport.plan.ReconcilePlan;
import org.openstack.glanceimport.stranded.StrandedImageWatch;

/**
 * What one reconcile planned and what the cluster shows after its workflow ran: all the status writer reads.
 *
 * @param before the StatefulSet before the workflow, empty on creation
 * @param after the StatefulSet as the workflow left it
 * @param dbSync the current db-sync Job
 * @param claims the GlanceAPI's claims in the cache, by name
 * @param publication the Service and Route as the caches hold them: status.endpoints and the RouteAvailable condition
 * @param keystone what spec.keystoneRegistration found or did: status.keystoneRegistration and KeystoneRegistered
 */
public record ReconcileOutcome(ReconcilePlan plan, Optional<StatefulSet> before, Optional<StatefulSet> after, Optional<Job> dbSync,
        ImageCacheStatus imageCache, StrandedImageWatch.Outcome stranded, Function<String, PersistentVolumeClaim> claims,
        Predicate<PersistentVolumeClaim> expandable, Publication publication, RegistrationOutcome keystone) {
}
