package org.openstack.glanceimport.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPIStatus;
import org.openstack.glanceimport.api.StagingClaimStatus;
import org.openstack.glanceimport.config.RenderedConfig;
import org.openstack.glanceimport.dependent.Names;
import org.openstack.glanceimport.validation.InputProblem;

/** Turns what exists in the cluster into a status a person can read: counts, per-pod claims and conditions. */
final class GlanceApiStatusBuilder {

    private GlanceApiStatusBuilder() {
    }

    /** Starts from the previous status so condition transition times survive. */
    static GlanceAPIStatus from(GlanceAPI api) {
        GlanceAPIStatus status = new GlanceAPIStatus();
        if (api.getStatus() != null) {
            status.conditions = new ArrayList<>(api.getStatus().conditions);
            status.replicas = api.getStatus().replicas;
            status.readyReplicas = api.getStatus().readyReplicas;
            status.configHash = api.getStatus().configHash;
            status.stagingSize = api.getStatus().stagingSize;
            status.stagingClaims = api.getStatus().stagingClaims;
            status.endpoint = api.getStatus().endpoint;
        }
        status.selector = Names.selector(api);
        status.observedGeneration = api.getMetadata().getGeneration();
        return status;
    }

    /**
     * Bad input: the workflow did not run, nothing already running was touched. Returns true when this is news.
     */
    static boolean invalid(GlanceAPI api, GlanceAPIStatus status, List<InputProblem> problems) {
        Long gen = api.getMetadata().getGeneration();
        InputProblem first = problems.get(0);
        String message = problems.stream().map(InputProblem::describe).collect(Collectors.joining("; "));
        boolean news = Conditions.set(status, Conditions.CONFIG_READY, false, first.reason(), message, gen);
        Conditions.set(status, Conditions.READY, false, first.reason(), message + (status.replicas != null && status.replicas > 0
                ? " (running pods keep their last good configuration)" : ""), gen);
        return news;
    }

    static void built(GlanceAPI api, GlanceAPIStatus status, RenderedConfig rendered, Optional<StatefulSet> sts,
            Function<String, PersistentVolumeClaim> claims) {
        Long gen = api.getMetadata().getGeneration();
        int wanted = api.getSpec().replicas;
        StatefulSetStatus stsStatus = sts.map(StatefulSet::getStatus).orElse(null);
        status.replicas = stsStatus == null || stsStatus.getReplicas() == null ? 0 : stsStatus.getReplicas();
        status.readyReplicas = stsStatus == null || stsStatus.getReadyReplicas() == null ? 0 : stsStatus.getReadyReplicas();
        status.configHash = rendered.configHash();
        status.stagingSize = rendered.staging().getSpec().storage.size.toString();
        status.endpoint = Names.endpoint(api);

        Conditions.set(status, Conditions.CONFIG_READY, true, "Rendered", "glance-api.conf rendered into ConfigMap "
                + Names.configMap(api) + ", credentials into Secret " + Names.secret(api), gen);

        List<StagingClaimStatus> claimStatuses = new ArrayList<>();
        Map<String, Integer> phases = new TreeMap<>();
        for (int i = 0; i < wanted; i++) {
            PersistentVolumeClaim claim = claims.apply(Names.stagingClaim(api, i));
            String phase = claim == null ? "Missing" : phaseOf(claim);
            phases.merge(phase, 1, Integer::sum);
            claimStatuses.add(new StagingClaimStatus(Names.pod(api, i), Names.stagingClaim(api, i), phase,
                    claim == null ? null : capacityOf(claim), Names.selfReferenceUrl(api, i)));
        }
        status.stagingClaims = claimStatuses;
        String summary = wanted + " staging claim(s) of " + status.stagingSize
                + (phases.isEmpty() ? "" : ": " + phases.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                        .collect(Collectors.joining(", ")));
        boolean stagingOk = !phases.containsKey("Missing") && !phases.containsKey("Lost");
        Conditions.set(status, Conditions.STAGING_READY, stagingOk,
                phases.containsKey("Lost") ? "ClaimLost" : phases.containsKey("Missing") ? "ClaimsMissing" : "ClaimsPresent",
                summary + (phases.containsKey("Pending") ? " (a claim binds when its pod is scheduled)" : ""), gen);

        boolean stsCurrent = sts.isPresent() && stsStatus != null && stsStatus.getObservedGeneration() != null
                && stsStatus.getObservedGeneration() >= sts.get().getMetadata().getGeneration();
        boolean updated = stsStatus != null && (stsStatus.getUpdateRevision() == null
                || stsStatus.getUpdateRevision().equals(stsStatus.getCurrentRevision()));
        boolean settled = stsCurrent && updated && status.readyReplicas == wanted && status.replicas == wanted;
        Conditions.set(status, Conditions.PROGRESSING, !settled, settled ? "Stable" : "RollingOut",
                settled ? "All " + wanted + " pod(s) run the current configuration"
                        : status.readyReplicas + "/" + wanted + " pod(s) ready, " + status.replicas + " running", gen);
        Conditions.set(status, Conditions.DEGRADED, false, "AsExpected", "No errors", gen);

        boolean ready = stagingOk && settled;
        String readyMessage = ready
                ? wanted + "/" + wanted + " pod(s) ready at " + status.endpoint
                : !stagingOk ? "Staging: " + summary : "Waiting for pods: " + status.readyReplicas + "/" + wanted + " ready";
        Conditions.set(status, Conditions.READY, ready, ready ? "Ready" : !stagingOk ? "StagingNotReady" : "WaitingForPods",
                readyMessage, gen);
    }

    private static String phaseOf(PersistentVolumeClaim claim) {
        return claim.getStatus() == null || claim.getStatus().getPhase() == null ? "Pending" : claim.getStatus().getPhase();
    }

    private static String capacityOf(PersistentVolumeClaim claim) {
        Quantity q = claim.getStatus() != null && claim.getStatus().getCapacity() != null
                ? claim.getStatus().getCapacity().get("storage")
                : null;
        if (q == null && claim.getSpec().getResources() != null && claim.getSpec().getResources().getRequests() != null) {
            q = claim.getSpec().getResources().getRequests().get("storage");
        }
        return q == null ? null : q.toString();
    }
}
