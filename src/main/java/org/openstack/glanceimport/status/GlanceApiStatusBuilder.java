package org.openstack.glanceimport.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPIStatus;
import org.openstack.glanceimport.config.RenderedConfig;
import org.openstack.glanceimport.dependent.DbSyncJobDependent;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.validation.InputProblem;

/** Turns what exists in the cluster into a status a person can read: counts, per-pod claims and conditions. */
public final class GlanceApiStatusBuilder {

    private GlanceApiStatusBuilder() {
    }

    /** Starts from the previous status so condition transition times survive. */
    public static GlanceAPIStatus from(GlanceAPI api) {
        GlanceAPIStatus status = new GlanceAPIStatus();
        if (api.getStatus() != null) {
            status.conditions = new ArrayList<>(api.getStatus().conditions);
            status.replicas = api.getStatus().replicas;
            status.readyReplicas = api.getStatus().readyReplicas;
            status.configHash = api.getStatus().configHash;
            status.stagingSize = api.getStatus().stagingSize;
            status.stagingClaims = api.getStatus().stagingClaims;
            status.networkAddresses = api.getStatus().networkAddresses;
            status.endpoint = api.getStatus().endpoint;
            status.endpoints = api.getStatus().endpoints;
            status.scaleDownHeldSince = api.getStatus().scaleDownHeldSince;
            status.rollHold = api.getStatus().rollHold;
            status.strandedImages = api.getStatus().strandedImages;
            status.imageCache = api.getStatus().imageCache;
            status.autoscaling = api.getStatus().autoscaling;
            status.tlsNotAfter = api.getStatus().tlsNotAfter;
        }
        status.selector = Names.selector(api);
        status.observedGeneration = api.getMetadata().getGeneration();
        return status;
    }

    /**
     * Bad input: the workflow did not run, nothing already running was touched. Returns true when this is news.
     */
    public static boolean invalid(GlanceAPI api, GlanceAPIStatus status, List<InputProblem> problems) {
        Long gen = api.getMetadata().getGeneration();
        InputProblem first = problems.get(0);
        String message = problems.stream().map(InputProblem::describe).collect(Collectors.joining("; "));
        boolean news = Conditions.set(status, Conditions.CONFIG_READY, false, first.reason(), message, gen);
        Conditions.set(status, Conditions.READY, false, first.reason(), message + (status.replicas != null && status.replicas > 0
                ? " (running pods keep their last good configuration)" : ""), gen);
        return news;
    }

    public static void built(GlanceAPI api, int wanted, GlanceAPIStatus status, RenderedConfig rendered, Optional<StatefulSet> sts,
            Function<String, PersistentVolumeClaim> claims, Predicate<PersistentVolumeClaim> expandable, Optional<Job> dbSync) {
        Long gen = api.getMetadata().getGeneration();
        StatefulSetStatus stsStatus = sts.map(StatefulSet::getStatus).orElse(null);
        status.replicas = stsStatus == null || stsStatus.getReplicas() == null ? 0 : stsStatus.getReplicas();
        status.readyReplicas = stsStatus == null || stsStatus.getReadyReplicas() == null ? 0 : stsStatus.getReadyReplicas();
        status.configHash = rendered.configHash();
        status.stagingSize = rendered.staging().getSpec().storage.size.toString();
        status.endpoint = Names.endpoint(api);
        status.tlsNotAfter = rendered.tlsNotAfter();

        Conditions.set(status, Conditions.CONFIG_READY, true, "Rendered", "glance-api.conf rendered into ConfigMap "
                + Names.configMap(api) + ", credentials into Secret " + Names.secret(api), gen);

        boolean stagingOk = StagingClaimsStatus.update(api, wanted, status, rendered.staging(), claims, expandable);
        String job = DbSyncJobDependent.name(api, rendered);
        String failure = dbSync.map(DbSyncJobDependent::failure).orElse(null);
        boolean synced = dbSync.map(DbSyncJobDependent::succeeded).orElse(false);
        Conditions.set(status, Conditions.DB_SYNC_READY, synced, synced ? "Synced" : failure != null ? "DBSyncFailed" : "Running",
                synced ? "glance-manage db_sync finished (Job " + job + ")"
                        : failure != null ? "Job " + job + " failed: " + failure + "; pods keep running their previous version"
                                : "Waiting for Job " + job + " (glance-manage db_sync); pods start or roll after it", gen);

        boolean stsCurrent = sts.isPresent() && stsStatus != null && stsStatus.getObservedGeneration() != null
                && stsStatus.getObservedGeneration() >= sts.get().getMetadata().getGeneration();
        boolean updated = stsStatus != null && (stsStatus.getUpdateRevision() == null
                || stsStatus.getUpdateRevision().equals(stsStatus.getCurrentRevision()));
        boolean settled = stsCurrent && updated && status.readyReplicas == wanted && status.replicas == wanted;
        Conditions.set(status, Conditions.PROGRESSING, !settled, settled ? "Stable" : "RollingOut",
                settled ? "All " + wanted + " pod(s) run the current configuration"
                        : status.readyReplicas + "/" + wanted + " pod(s) ready, " + status.replicas + " running", gen);
        Conditions.set(status, Conditions.DEGRADED, false, "AsExpected", "No errors", gen);

        boolean ready = stagingOk && synced && settled;
        String readyMessage = ready
                ? wanted + "/" + wanted + " pod(s) ready at " + status.endpoint
                : !synced ? "Database: " + Conditions.get(status, Conditions.DB_SYNC_READY).get().getMessage()
                        : !stagingOk ? "Staging: " + Conditions.get(status, Conditions.STAGING_READY).get().getMessage()
                                : "Waiting for pods: " + status.readyReplicas + "/" + wanted + " ready";
        Conditions.set(status, Conditions.READY, ready, ready ? "Ready"
                : !synced ? (failure != null ? "DBSyncFailed" : "WaitingForDBSync") : !stagingOk ? "StagingNotReady" : "WaitingForPods",
                readyMessage, gen);
    }
}
