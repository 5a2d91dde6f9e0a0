package org.openstack.glanceimport.controller;

import org.openstack.glanceimport.runtime.Secondaries;
import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.autoscaling.ImportAutoscaling;
import org.openstack.glanceimport.autoscaling.ScaleDownGuard;
import org.openstack.glanceimport.glance.StagedImageScans;
import org.openstack.glanceimport.inputs.GlanceApiInputs;
import org.openstack.glanceimport.inputs.ReferencedSecrets;
import org.openstack.glanceimport.monitoring.OperatorMetrics;
import org.openstack.glanceimport.runtime.LeaderElection;
import org.openstack.glanceimport.runtime.Platform;
import org.openstack.glanceimport.status.EventRecorder;
import org.openstack.glanceimport.status.GlanceApiStatusBuilder;
import org.openstack.glanceimport.status.ImageCacheStatusBuilder;
import org.openstack.glanceimport.status.ReconcileFailure;
import org.openstack.glanceimport.status.StatusPatch;
import org.openstack.glanceimport.status.SupersededStatus;
import org.openstack.glanceimport.stranded.StrandedImageWatch;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource;
import io.quarkiverse.operatorsdk.annotations.RBACRule;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPIStatus;
import org.openstack.glanceimport.api.GlanceImportStaging;
import org.openstack.glanceimport.config.RenderedConfig;
import org.openstack.glanceimport.plan.Announcer;
import org.openstack.glanceimport.dependent.CacheClaimsDependent;
import org.openstack.glanceimport.dependent.CacheCronJobsDependent;
import org.openstack.glanceimport.claims.ClaimExpansion;
import org.openstack.glanceimport.dependent.DbPurgeCronJobDependent;
import org.openstack.glanceimport.dependent.ConfigMapDependent;
import org.openstack.glanceimport.dependent.DbSyncJobDependent;
import org.openstack.glanceimport.pod.OperandImage;
import org.openstack.glanceimport.plan.Rendered;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.dependent.PodDisruptionBudgetDependent;
import org.openstack.glanceimport.dependent.SecretDependent;
import org.openstack.glanceimport.openshift.SccAdmission;
import org.openstack.glanceimport.openshift.SccRoleBindingDependent;
import org.openstack.glanceimport.openshift.SccRoleDependent;
import org.openstack.glanceimport.openshift.ServiceAccountDependent;
import org.openstack.glanceimport.dependent.ServiceDependent;
import org.openstack.glanceimport.dependent.StageHostStandInsDependent;
import org.openstack.glanceimport.dependent.StagingClaimsDependent;
import org.openstack.glanceimport.dependent.StatefulSetDependent;
import org.openstack.glanceimport.runtime.TrimmedItemStore;

/**
 * Reconciles a GlanceAPI: resolve and validate its inputs first, and only when they are good run the workflow that
 * creates or updates its objects. Bad input leaves everything already running untouched.
 */
// managedFields trimmed in every cache (TrimmedItemStore): on a real API server they filled most of them
@ControllerConfiguration(name = GlanceApiReconciler.NAME, informer = @Informer(itemStore = TrimmedItemStore.class))
@Workflow(explicitInvocation = true, dependents = {
        @Dependent(name = "config", type = ConfigMapDependent.class),
        @Dependent(name = "secrets", type = SecretDependent.class),
        @Dependent(name = "headless-service", type = ServiceDependent.Headless.class),
        // one Service informer for both: each picks its own Service from it by name (the desired one's)
        @Dependent(name = "service", type = ServiceDependent.ClusterIP.class, useEventSourceWithName = "headless-service"),
        @Dependent(name = "staging-claims", type = StagingClaimsDependent.class),
        // no preconditions on the cache dependents: an unmet one would also delete what depends on them (the StatefulSet);
        // without imageCache they desire nothing, so existing ones are deleted
        @Dependent(name = "cache-claims", type = CacheClaimsDependent.class),
        @Dependent(name = "db-sync", type = DbSyncJobDependent.class, dependsOn = { "config", "secrets" },
                readyPostcondition = DbSyncJobDependent.Succeeded.class),
        @Dependent(name = "statefulset", type = StatefulSetDependent.class,
                dependsOn = { "config", "secrets", "headless-service", "staging-claims", "cache-claims", "db-sync" }),
        @Dependent(name = "cache-maintenance", type = CacheCronJobsDependent.class, dependsOn = "statefulset"),
        // wants nothing unless a stranded image is being deleted (StrandedImageWatch): then existing ones go
        @Dependent(name = "stage-host-stand-ins", type = StageHostStandInsDependent.class, dependsOn = "statefulset"),
        @Dependent(name = "db-purge", type = DbPurgeCronJobDependent.class, dependsOn = "db-sync",
                reconcilePrecondition = DbPurgeCronJobDependent.Enabled.class),
        @Dependent(name = "pdb", type = PodDisruptionBudgetDependent.class,
                reconcilePrecondition = PodDisruptionBudgetDependent.NeededWithReplicas.class),
        // OpenShift only (SccAdmission). An activation condition, not a precondition: elsewhere their three informers are
        // never started (JOSDK registers them at the first reconcile that needs them), which shortens every start. The
        // StatefulSet does not depend on them: an unmet condition would delete it too; its controller retries pod
        // creation until the binding exists
        @Dependent(name = "service-account", type = ServiceAccountDependent.class, activationCondition = SccAdmission.Required.class),
        @Dependent(name = "scc-role", type = SccRoleDependent.class, activationCondition = SccAdmission.Required.class),
        @Dependent(name = "scc-role-binding", type = SccRoleBindingDependent.class, activationCondition = SccAdmission.Required.class,
                dependsOn = { "service-account", "scc-role" })
})
// user Secrets: read, and labelled once so that the narrow informer sees them (ReferencedSecrets)
@RBACRule(apiGroups = "", resources = "secrets", verbs = { "get", "list", "watch", "patch" })
@RBACRule(apiGroups = "", resources = "events", verbs = { "create" })
@RBACRule(apiGroups = "", resources = "pods", verbs = { "get" })
@RBACRule(apiGroups = "batch", resources = "jobs", verbs = { "delete" })
// the operator's leader election (LeaderElection); declared here because RBAC is generated per reconciler. fabric8
// renews the Lease with a PATCH: without it the leader loses the Lease at its first renewal and exits
@RBACRule(apiGroups = "coordination.k8s.io", resources = "leases", verbs = { "get", "create", "update", "patch" })
@RBACRule(apiGroups = "storage.k8s.io", resources = "storageclasses", verbs = { "get" })
// on OpenShift the operator creates Roles granting use of nonroot-v2 (SccRoleDependent): it must hold that grant itself
@RBACRule(apiGroups = "security.openshift.io", resources = "securitycontextconstraints", resourceNames = SccAdmission.SCC,
        verbs = { "use" })
@RBACRule(apiGroups = GlanceAPI.GROUP, resources = "glanceimportstagings", verbs = { "get", "list", "watch" })
public class GlanceApiReconciler implements Reconciler<GlanceAPI> {

    public static final String NAME = "glanceapi";
    static final String STAGING_SOURCE = "staging-policy";
    static final String SECRETS_SOURCE = "referenced-secrets";
    static final String STAGED_IMAGES_SOURCE = "staged-images";
    private static final String STAGING_INDEX = "by-staging-ref";
    private static final String SECRET_INDEX = "by-secret-ref";
    private static final int SCAN_THREADS = 4;

    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final OperandImage image = OperandImage.fromEnvironment();
    private InformerEventSource<GlanceImportStaging, GlanceAPI> stagingSource;
    private InformerEventSource<Secret, GlanceAPI> secretSource;
    private PerResourcePollingEventSource<StagedImageScans.Scan, GlanceAPI, String> stagedImagesSource;

    private final ScaleDownGuard scaleDownGuard;
    private final StagedImageScans scans;
    private final StrandedImageWatch strandedImages;
    private final ImportAutoscaling autoscaling;
    private final SupersededStatus superseded;

    private final Platform platform;

    public GlanceApiReconciler(EventRecorder events, OperatorMetrics metrics, ScaleDownGuard scaleDownGuard, Platform platform,
            StagedImageScans scans, StrandedImageWatch strandedImages, ImportAutoscaling autoscaling, SupersededStatus superseded) {
        this.superseded = superseded;
        this.autoscaling = autoscaling;
        this.platform = platform;
        this.events = events;
        this.metrics = metrics;
        this.scaleDownGuard = scaleDownGuard;
        this.scans = scans;
        this.strandedImages = strandedImages;
    }

    @Override
    public List<EventSource<?, GlanceAPI>> prepareEventSources(EventSourceContext<GlanceAPI> context) {
        context.getPrimaryCache().addIndexer(STAGING_INDEX,
                api -> api.getSpec() == null || api.getSpec().stagingRef == null ? List.of()
                        : List.of(key(api.getMetadata().getNamespace(), api.getSpec().stagingRef)));
        context.getPrimaryCache().addIndexer(SECRET_INDEX, api -> GlanceApiInputs.referencedSecrets(api).stream()
                .map(name -> key(api.getMetadata().getNamespace(), name)).toList());

        stagingSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(GlanceImportStaging.class, GlanceAPI.class)
                .withName(STAGING_SOURCE)
                .withItemStore(new TrimmedItemStore<>())
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(gis -> primariesByIndex(context, STAGING_INDEX, gis.getMetadata().getNamespace(),
                        gis.getMetadata().getName()))
                .<GlanceAPI>withPrimaryToSecondaryMapper(api -> Set.of(new ResourceID(api.getSpec().stagingRef,
                        api.getMetadata().getNamespace())))
                .build(), context);
        secretSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(Secret.class, GlanceAPI.class)
                .withName(SECRETS_SOURCE)
                .withItemStore(new TrimmedItemStore<>())
                .withLabelSelector(ReferencedSecrets.SELECTOR)
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(secret -> primariesByIndex(context, SECRET_INDEX, secret.getMetadata().getNamespace(),
                        secret.getMetadata().getName()))
                .<GlanceAPI>withPrimaryToSecondaryMapper(api -> GlanceApiInputs.referencedSecrets(api).stream()
                        .map(name -> new ResourceID(name, api.getMetadata().getNamespace())).collect(Collectors.toSet()))
                .build(), context);
        // Glance cannot be watched: its database is asked on the source's own threads (a slow database holds no reconcile),
        // a few at a time, and a changed answer triggers a reconcile
        stagedImagesSource = new PerResourcePollingEventSource<>(StagedImageScans.Scan.class, context,
                new PerResourcePollingConfigurationBuilder<StagedImageScans.Scan, GlanceAPI, String>(scans, scans.interval())
                        .withName(STAGED_IMAGES_SOURCE)
                        .withResourceIDMapper(scan -> "scan")
                        .withExecutorService(new java.util.concurrent.ScheduledThreadPoolExecutor(SCAN_THREADS, r -> {
                            Thread t = new Thread(r, "staged-image-scans");
                            t.setDaemon(true);
                            return t;
                        }))
                        .build());
        return List.of(stagingSource, secretSource, stagedImagesSource);
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    private static Set<ResourceID> primariesByIndex(EventSourceContext<GlanceAPI> context, String index, String ns, String name) {
        return context.getPrimaryCache().byIndex(index, key(ns, name)).stream().map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }

    @Override
    public UpdateControl<GlanceAPI> reconcile(GlanceAPI api, Context<GlanceAPI> context) {
        LegacyFinalizer.remove(api, context.getClient());
        String ns = api.getMetadata().getNamespace();
        GlanceAPIStatus status = GlanceApiStatusBuilder.from(api);
        GlanceApiInputs.Result inputs = GlanceApiInputs.resolve(api, image.reference(),
                name -> stagingSource.get(new ResourceID(name, ns)).orElse(null),
                name -> ReferencedSecrets.lookup(secretSource, context.getClient(), ns, name));

        if (!inputs.valid()) {
            if (GlanceApiStatusBuilder.invalid(api, status, inputs.problems())) {
                var first = inputs.problems().get(0);
                events.warning(api, first.reason(), Conditions.get(status, Conditions.CONFIG_READY).get().getMessage());
            }
            metrics.reconciled(NAME, "invalid");
            observe(api, status, 0, api.getSpec().replicas, null, context);
            UpdateControl<GlanceAPI> control = StatusPatch.ifChanged(api, status, context);
            // only labelled Secrets are watched (ReferencedSecrets): one that does not exist yet cannot announce itself
            return inputs.problems().stream().anyMatch(p -> "SecretNotFound".equals(p.reason()))
                    ? control.rescheduleAfter(ReferencedSecrets.MISSING_RECHECK) : control;
        }

        RenderedConfig rendered = inputs.rendered();
        scans.use(api, inputs.database());
        if (scans.scheduledTooLate(api)) {
            // the source keeps the schedule it made; dropping this GlanceAPI's task and registering it again scans in 3 s,
            // then at the autoscaling interval
            stagedImagesSource.onResourceDeleted(api);
            stagedImagesSource.onResourceCreated(api);
        }
        Optional<StatefulSet> before = context.getSecondaryResource(StatefulSet.class);
        int running = before.map(sts -> sts.getSpec().getReplicas()).orElse(0);
        Optional<StagedImageScans.Scan> scan = stagedImagesSource.getSecondaryResource(ResourceID.fromResource(api));
        java.util.function.Function<String, PersistentVolumeClaim> claims = name -> Secondaries.named(context, PersistentVolumeClaim.class,
                name).orElse(null);
        java.util.function.Predicate<PersistentVolumeClaim> expandable = claim -> ClaimExpansion.allowed(context.getClient(), claim);
        java.math.BigDecimal stagingBytes = io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(rendered.staging().getSpec().storage.size);
        ImportAutoscaling.Outcome scaling = autoscaling.apply(api, status, scan, running, stagingBytes, claims, expandable);
        int target = scaling.target();
        ScaleDownGuard.Decision decision = scaleDownGuard.decide(api, status, inputs.database(), target, running);
        context.managedWorkflowAndDependentResourceContext().put(Rendered.TARGET, target);
        context.managedWorkflowAndDependentResourceContext().put(Rendered.REPLICAS, decision.replicas());
        context.managedWorkflowAndDependentResourceContext().put(Rendered.GROWN_CLAIMS, scaling.grow());
        context.managedWorkflowAndDependentResourceContext().put(RenderedConfig.KEY, rendered);
        context.managedWorkflowAndDependentResourceContext().put(Announcer.class, events);
        context.managedWorkflowAndDependentResourceContext().put(SccAdmission.KEY, platform.admitsPodsBySecurityContextConstraints());
        context.managedWorkflowAndDependentResourceContext().put(StageHostStandInsDependent.WANTED, strandedImages.standInsWanted(api));
        context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
        Optional<StatefulSet> after = context.getSecondaryResource(StatefulSet.class);
        recordChanges(api, target, before, after, rendered);
        Optional<Job> dbSync = dbSync(api, rendered, context);

        boolean wasInvalid = Conditions.get(status, Conditions.CONFIG_READY).map(c -> "False".equals(c.getStatus())).orElse(false);
        GlanceApiStatusBuilder.built(api, target, status, rendered, after, claims, expandable, dbSync);
        status.imageCache = ImageCacheStatusBuilder.of(api, target, context);
        announceStaging(api, status);
        Optional<java.time.Duration> strandedRecheck = strandedImages.update(api, status, scan, after.map(sts -> sts.getSpec().getReplicas()),
                claims,
                podName -> Secondaries.named(context, io.fabric8.kubernetes.api.model.Pod.class, podName).orElse(null), inputs);
        if (wasInvalid) {
            events.normal(api, "ConfigValid", "Inputs are valid again; configuration rendered");
        }
        metrics.reconciled(NAME, "applied");
        observe(api, status, stagingBytes.doubleValue(), target, scaling.load().orElse(null), context);
        Optional<java.time.Duration> answer = superseded.waitFor(ResourceID.fromResource(api), api.getStatus(), status, after);
        UpdateControl<GlanceAPI> control = answer.isPresent() ? UpdateControl.noUpdate() : StatusPatch.ifChanged(api, status, context);
        // Glance cannot be watched: while a scale-down is held, a stranded image's grace period runs, or autoscaling waits out
        // its stabilisation window, look again after a while
        return java.util.stream.Stream.of(Optional.ofNullable(decision.recheck()), strandedRecheck, scaling.recheck(),
                answer)
                .flatMap(Optional::stream)
                .min(java.util.Comparator.naturalOrder()).map(control::rescheduleAfter).orElse(control);
    }

    private void recordChanges(GlanceAPI api, int target, Optional<StatefulSet> before, Optional<StatefulSet> after,
            RenderedConfig rendered) {
        if (before.isEmpty()) {
            if (after.isPresent()) {
                events.normal(api, "Created", "Created StatefulSet " + api.getMetadata().getName() + " with "
                        + target + " replica(s), each with its own staging claim");
            }
            return;
        }
        int was = before.get().getSpec().getReplicas();
        int now = after.map(sts -> sts.getSpec().getReplicas()).orElse(was);
        if (was != now) {
            events.normal(api, now > was ? "ScaledUp" : "ScaledDown", "Scaled from " + was + " to " + now + " replica(s)");
        }
        String oldHash = before.get().getSpec().getTemplate().getMetadata().getAnnotations().get(Names.CONFIG_HASH_ANNOTATION);
        if (oldHash != null && !oldHash.equals(rendered.configHash())) {
            events.normal(api, "ConfigChanged", "Configuration changed (hash " + oldHash + " -> " + rendered.configHash()
                    + "); pods roll one at a time");
        }
    }

    /**
     * The current db-sync Job; once it succeeded, Jobs of earlier hashes go (their work is superseded). A failure is
     * announced once, when it appears.
     */
    private Optional<Job> dbSync(GlanceAPI api, RenderedConfig rendered, Context<GlanceAPI> context) {
        String name = DbSyncJobDependent.name(api, rendered);
        Optional<Job> current = Secondaries.named(context, Job.class, name);
        if (current.map(DbSyncJobDependent::succeeded).orElse(false)) {
            context.getSecondaryResourcesAsStream(Job.class).filter(j -> !j.getMetadata().getName().equals(name))
                    .forEach(old -> context.getClient().resource(old).withPropagationPolicy(
                            io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete());
        }
        return current;
    }

    /** {@code load}: the last scan's, null while unknown. */
    private void observe(GlanceAPI api, GlanceAPIStatus status, double bytesPerPod, int target,
            org.openstack.glanceimport.autoscaling.ImportLoad load, Context<GlanceAPI> context) {
        metrics.observe(ResourceID.fromResource(api), status, bytesPerPod, target, load);
        // deleted GlanceAPIs leave the cache; drop their snapshots (no finalizer just for metrics)
        Set<ResourceID> live = context.getPrimaryCache().list().map(ResourceID::fromResource).collect(Collectors.toSet());
        metrics.forget(live);
        scans.retain(live);
        strandedImages.retain(live);
        superseded.retain(live);
    }

    /** Staging problems and refusals are news when they appear, not on every reconcile. */
    private void announceStaging(GlanceAPI api, GlanceAPIStatus status) {
        var before = api.getStatus() == null ? null : Conditions.get(api.getStatus(), Conditions.STAGING_READY).orElse(null);
        var now = Conditions.get(status, Conditions.STAGING_READY).orElseThrow();
        boolean news = before == null || !before.getReason().equals(now.getReason());
        if (news && ("False".equals(now.getStatus()) || "ShrinkRefused".equals(now.getReason()))) {
            events.warning(api, now.getReason(), now.getMessage());
        } else if (news && "Expanding".equals(now.getReason())) {
            events.normal(api, now.getReason(), now.getMessage());
        }
        var syncBefore = api.getStatus() == null ? null : Conditions.get(api.getStatus(), Conditions.DB_SYNC_READY).orElse(null);
        var syncNow = Conditions.get(status, Conditions.DB_SYNC_READY).orElseThrow();
        if ("DBSyncFailed".equals(syncNow.getReason()) && (syncBefore == null || !"DBSyncFailed".equals(syncBefore.getReason()))) {
            events.warning(api, syncNow.getReason(), syncNow.getMessage());
        }
    }

    @Override
    public ErrorStatusUpdateControl<GlanceAPI> updateErrorStatus(GlanceAPI api, Context<GlanceAPI> context, Exception e) {
        GlanceAPIStatus status = GlanceApiStatusBuilder.from(api);
        ReconcileFailure failure = ReconcileFailure.of(e);
        metrics.reconciled(NAME, "error");
        if (Conditions.set(status, Conditions.DEGRADED, true, failure.reason(), failure.message(), api.getMetadata().getGeneration())) {
            events.warning(api, failure.reason(), failure.message());
        }
        // written like every other status (no spec in the body); JOSDK still retries the reconcile
        StatusPatch.ifChanged(api, status, context);
        return ErrorStatusUpdateControl.noStatusUpdate();
    }
}
