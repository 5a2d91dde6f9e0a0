package org.openstack.glanceimport.controller;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.openshift.api.model.Route;
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
import org.openstack.glanceimport.autoscaling.ImportLoad;
import org.openstack.glanceimport.claims.ClaimExpansion;
import org.openstack.glanceimport.config.RenderedConfig;
import org.openstack.glanceimport.dependent.CacheClaimsDependent;
import org.openstack.glanceimport.dependent.CacheCronJobsDependent;
import org.openstack.glanceimport.dependent.ConfigMapDependent;
import org.openstack.glanceimport.dependent.DbPurgeCronJobDependent;
import org.openstack.glanceimport.dependent.DbSyncJobDependent;
import org.openstack.glanceimport.dependent.PodDisruptionBudgetDependent;
import org.openstack.glanceimport.dependent.SecretDependent;
import org.openstack.glanceimport.dependent.ServiceDependent;
import org.openstack.glanceimport.dependent.StageHostStandInsDependent;
import org.openstack.glanceimport.dependent.StagingClaimsDependent;
import org.openstack.glanceimport.dependent.StatefulSetDependent;
import org.openstack.glanceimport.exposure.Publication;
import org.openstack.glanceimport.glance.StagedImageScans;
import org.openstack.glanceimport.glance.StagedImages;
import org.openstack.glanceimport.inputs.ClusterNetworkAttachments;
import org.openstack.glanceimport.inputs.GlanceApiInputs;
import org.openstack.glanceimport.inputs.ReferencedSecrets;
import org.openstack.glanceimport.keystone.KeystoneOperatorObjects;
import org.openstack.glanceimport.keystone.KeystoneRegistrations;
import org.openstack.glanceimport.keystone.RegistrationOutcome;
import org.openstack.glanceimport.monitoring.OperatorMetrics;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.openshift.RouteDependent;
import org.openstack.glanceimport.openshift.SccAdmission;
import org.openstack.glanceimport.openshift.SccRoleBindingDependent;
import org.openstack.glanceimport.openshift.SccRoleDependent;
import org.openstack.glanceimport.openshift.ServiceAccountDependent;
import org.openstack.glanceimport.plan.Planner;
import org.openstack.glanceimport.plan.ReconcilePlan;
import org.openstack.glanceimport.pod.OperandImage;
import org.openstack.glanceimport.runtime.Platform;
import org.openstack.glanceimport.runtime.Secondaries;
import org.openstack.glanceimport.runtime.TrimmedItemStore;
import org.openstack.glanceimport.status.GlanceApiStatusWriter;
import org.openstack.glanceimport.status.ImageCacheStatusBuilder;
import org.openstack.glanceimport.status.ReconcileOutcome;
import org.openstack.glanceimport.status.SupersededStatus;
import org.openstack.glanceimport.stores.DatabaseTlsCheck;
import org.openstack.glanceimport.stores.ObjectStoreChecks;
import org.openstack.glanceimport.stranded.StrandedImageWatch;

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
                dependsOn = { "service-account", "scc-role" }),
        // spec.route, where the cluster serves Routes: an activation condition for the same reason (where it serves none the
        // status says so, RouteAvailable, and the rest runs on); spec.route itself is a precondition, which deletes the Route
        // once it is removed
        @Dependent(name = "route", type = RouteDependent.class, activationCondition = RouteDependent.Served.class,
                reconcilePrecondition = RouteDependent.Asked.class)
})
// user Secrets: read, and labelled once so that the narrow informer sees them (ReferencedSecrets)
@RBACRule(apiGroups = "", resources = "secrets", verbs = { "get", "list", "watch", "patch" })
@RBACRule(apiGroups = "", resources = "events", verbs = { "create" })
// pods: read one by one, and the glance-api pods watched for the addresses Multus reports on them (ApiPodsSource)
@RBACRule(apiGroups = "", resources = "pods", verbs = { "get", "list", "watch" })
// the NetworkAttachmentDefinitions spec.networkAttachments names are read, never cached (ClusterNetworkAttachments)
@RBACRule(apiGroups = "k8s.cni.cncf.io", resources = "network-attachment-definitions", verbs = { "get" })
@RBACRule(apiGroups = "batch", resources = "jobs", verbs = { "delete" })
// the operator's leader election (LeaderElection); declared here because RBAC is generated per reconciler. fabric8
// renews the Lease with a PATCH: without it the leader loses the Lease at its first renewal and exits
@RBACRule(apiGroups = "coordination.k8s.io", resources = "leases", verbs = { "get", "create", "update", "patch" })
@RBACRule(apiGroups = "storage.k8s.io", resources = "storageclasses", verbs = { "get" })
// on OpenShift the operator creates Roles granting use of nonroot-v2 (SccRoleDependent): it must hold that grant itself
@RBACRule(apiGroups = "security.openshift.io", resources = "securitycontextconstraints", resourceNames = SccAdmission.SCC,
        verbs = { "use" })
@RBACRule(apiGroups = GlanceAPI.GROUP, resources = "glanceimportstagings", verbs = { "get", "list", "watch" })
// OpenShift lets only those holding routes/custom-host set a Route's spec.host
@RBACRule(apiGroups = "route.openshift.io", resources = "routes/custom-host", verbs = { "create" })
// spec.keystoneRegistration where keystone-operator runs: its objects, read one by one (no informer), owned by the GlanceAPI
@RBACRule(apiGroups = KeystoneOperatorObjects.GROUP, resources = { KeystoneOperatorObjects.SERVICE_RESOURCE,
        KeystoneOperatorObjects.ENDPOINT_RESOURCE }, verbs = { "get", "create", "patch", "delete" })
public class GlanceApiReconciler implements Reconciler<GlanceAPI> {

    public static final String NAME = Names.GLANCEAPI_CONTROLLER;
    static final String STAGING_SOURCE = "staging-policy";
    static final String SECRETS_SOURCE = "referenced-secrets";
    static final String STAGED_IMAGES_SOURCE = "staged-images";
    private static final String STAGING_INDEX = "by-staging-ref";
    private static final String SECRET_INDEX = "by-secret-ref";
    private static final int SCAN_THREADS = 4;

    private final GlanceApiStatusWriter status;
    private final OperatorMetrics metrics;
    private final OperandImage image = OperandImage.fromEnvironment();
    private InformerEventSource<GlanceImportStaging, GlanceAPI> stagingSource;
    private InformerEventSource<Secret, GlanceAPI> secretSource;
    private PerResourcePollingEventSource<StagedImageScans.Scan, GlanceAPI, String> stagedImagesSource;

    private final StagedImages stagedImages;
    private final StagedImageScans scans;
    private final StrandedImageWatch strandedImages;
    private final SupersededStatus superseded;
    private final Platform platform;
    private final ObjectStoreChecks storeChecks;
    private final DatabaseTlsCheck databaseCheck;
    private final KeystoneRegistrations keystone;

    public GlanceApiReconciler(GlanceApiStatusWriter status, OperatorMetrics metrics, StagedImages stagedImages, Platform platform,
            StagedImageScans scans, StrandedImageWatch strandedImages, SupersededStatus superseded, ObjectStoreChecks storeChecks,
            DatabaseTlsCheck databaseCheck, KeystoneRegistrations keystone) {
        this.storeChecks = storeChecks;
        this.databaseCheck = databaseCheck;
        this.keystone = keystone;
        this.status = status;
        this.metrics = metrics;
        this.stagedImages = stagedImages;
        this.platform = platform;
        this.scans = scans;
        this.strandedImages = strandedImages;
        this.superseded = superseded;
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
                        .withExecutorService(new ScheduledThreadPoolExecutor(SCAN_THREADS, r -> {
                            Thread t = new Thread(r, "staged-image-scans");
                            t.setDaemon(true);
                            return t;
                        }))
                        .build());
        return List.of(stagingSource, secretSource, stagedImagesSource, ApiPodsSource.create(context));
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    private static Set<ResourceID> primariesByIndex(EventSourceContext<GlanceAPI> context, String index, String ns, String name) {
        return context.getPrimaryCache().byIndex(index, key(ns, name)).stream().map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }

    /** Inputs, then the plan, then the workflow that applies it, then the status that tells it. */
    @Override
    public UpdateControl<GlanceAPI> reconcile(GlanceAPI api, Context<GlanceAPI> context) {
        LegacyFinalizer.remove(api, context.getClient());
        String ns = api.getMetadata().getNamespace();
        GlanceApiInputs.Result inputs = GlanceApiInputs.resolve(api, image.reference(),
                name -> stagingSource.get(new ResourceID(name, ns)).orElse(null),
                name -> ReferencedSecrets.lookup(secretSource, context.getClient(), ns, name),
                // the user's claims are read when a shared file store names one, not cached: the claims informer holds the
                // operator's own
                name -> context.getClient().persistentVolumeClaims().inNamespace(ns).withName(name).get(),
                new ClusterNetworkAttachments(platform, context.getClient()), storeChecks, databaseCheck);
        if (!inputs.valid()) {
            GlanceApiStatusWriter.Written written = status.invalid(api, inputs, context);
            observe(api, "invalid", written.status(), 0, api.getSpec().replicas, Optional.empty(), context);
            return written.control();
        }
        Optional<StatefulSet> before = context.getSecondaryResource(StatefulSet.class);
        Planner.Observed seen = observed(api, inputs, before, context);
        ReconcilePlan plan = Planner.plan(api, inputs.rendered(), seen);
        plan.handTo(context);
        try {
            context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
        } finally {
            status.announce(plan.news());
        }
        Optional<StatefulSet> after = context.getSecondaryResource(StatefulSet.class);
        Publication publication = publication(api, plan, context);
        ReconcileOutcome outcome = new ReconcileOutcome(plan, before, after, dbSync(api, plan.rendered(), context),
                ImageCacheStatusBuilder.of(api, plan.target(), context), strandedImages.handle(api, seen.scan(),
                        after.map(sts -> sts.getSpec().getReplicas()), seen.claims(), pods(context), inputs),
                seen.claims(), seen.expandable(), publication, keystone(api, publication, context));
        GlanceApiStatusWriter.Written written = status.applied(api, outcome, context);
        observe(api, "applied", written.status(), plan.stagingBytes().doubleValue(), plan.target(), plan.autoscaling().load(), context);
        return written.control();
    }

    /**
     * What the caches, the last scan and (for a scale-down only) Glance's database show this reconcile; the plan and the
     * stranded-image handling read the same scan.
     */
    private Planner.Observed observed(GlanceAPI api, GlanceApiInputs.Result inputs, Optional<StatefulSet> running,
            Context<GlanceAPI> context) {
        scans.use(api, inputs.database());
        if (scans.scheduledTooLate(api)) {
            // the source keeps the schedule it made; dropping this GlanceAPI's task and registering it again scans in 3 s,
            // then at the autoscaling interval
            stagedImagesSource.onResourceDeleted(api);
            stagedImagesSource.onResourceCreated(api);
        }
        return new Planner.Observed(stagedImagesSource.getSecondaryResource(ResourceID.fromResource(api)), running.map(sts -> sts.getSpec().getReplicas()).orElse(0), claims(context),
                expandable(context), hosts -> stagedImages.on(inputs.database(), hosts), strandedImages.standInsWanted(api),
                platform.admitsPodsBySecurityContextConstraints(), platform.servesRoutes(), inputs.glanceCaPem(),
                context.getSecondaryResources(Pod.class), () -> stagedImages.load(inputs.database()), Instant.now());
    }

    /**
     * spec.keystoneRegistration. Before the first entry is made through Keystone's API the GlanceAPI gets the label and
     * finalizer of KeystoneDeregistrationReconciler, which removes the entries when the GlanceAPI is deleted; they go once
     * none is left. With keystone-operator's objects owner references suffice.
     */
    private RegistrationOutcome keystone(GlanceAPI api, Publication publication, Context<GlanceAPI> context) {
        boolean throughApi = api.getSpec().registersInKeystone() && KeystoneRegistrations.API.equals(keystone.method(api));
        if (throughApi) {
            Finalizers.addWithLabel(api, KeystoneDeregistrationReconciler.FINALIZER, KeystoneDeregistrationReconciler.LABEL,
                    context.getClient());
        }
        RegistrationOutcome outcome = keystone.reconcile(api, publication.endpoints(api),
                ReferencedSecrets.lookup(secretSource, context.getClient(), api.getMetadata().getNamespace()), context.getClient());
        if (!throughApi && !(outcome.registered() && KeystoneRegistrations.API.equals(outcome.status().method))) {
            Finalizers.removeWithLabel(api, KeystoneDeregistrationReconciler.FINALIZER, KeystoneDeregistrationReconciler.LABEL,
                    context.getClient());
        }
        return outcome;
    }

    /** The Route is looked up only where its dependent is active: elsewhere no informer caches Routes. */
    private static Publication publication(GlanceAPI api, ReconcilePlan plan, Context<GlanceAPI> context) {
        boolean routeActive = plan.routesServed() && api.getSpec().route != null;
        return new Publication(Secondaries.named(context, Service.class, Names.service(api)),
                routeActive ? Secondaries.named(context, Route.class, Names.route(api)) : Optional.empty(), plan.routesServed());
    }

    private static Function<String, PersistentVolumeClaim> claims(Context<GlanceAPI> context) {
        return name -> Secondaries.named(context, PersistentVolumeClaim.class, name).orElse(null);
    }

    private static Predicate<PersistentVolumeClaim> expandable(Context<GlanceAPI> context) {
        return claim -> ClaimExpansion.allowed(context.getClient(), claim);
    }

    private static Function<String, Pod> pods(Context<GlanceAPI> context) {
        return name -> Secondaries.named(context, Pod.class, name).orElse(null);
    }

    /**
     * The current db-sync Job; once it succeeded, Jobs of earlier hashes go (their work is superseded).
     */
    private Optional<Job> dbSync(GlanceAPI api, RenderedConfig rendered, Context<GlanceAPI> context) {
        String name = DbSyncJobDependent.name(api, rendered);
        Optional<Job> current = Secondaries.named(context, Job.class, name);
        if (current.map(DbSyncJobDependent::succeeded).orElse(false)) {
            context.getSecondaryResourcesAsStream(Job.class).filter(j -> !j.getMetadata().getName().equals(name))
                    .forEach(old -> context.getClient().resource(old).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
        }
        return current;
    }

    private void observe(GlanceAPI api, String outcome, GlanceAPIStatus written, double bytesPerPod, int target,
            Optional<ImportLoad> load, Context<GlanceAPI> context) {
        metrics.reconciled(NAME, outcome);
        metrics.observe(ResourceID.fromResource(api), written, bytesPerPod, target, load.orElse(null));
        // deleted GlanceAPIs leave the cache; drop what is kept for them in memory (no finalizer just for that)
        Set<ResourceID> live = context.getPrimaryCache().list().map(ResourceID::fromResource).collect(Collectors.toSet());
        metrics.forget(live);
        scans.retain(live);
        strandedImages.retain(live);
        superseded.retain(live);
        keystone.retain(live);
    }

    @Override
    public ErrorStatusUpdateControl<GlanceAPI> updateErrorStatus(GlanceAPI api, Context<GlanceAPI> context, Exception e) {
        metrics.reconciled(NAME, "error");
        // written like every other status (no spec in the body); JOSDK still retries the reconcile
        status.failed(api, e, context);
        return ErrorStatusUpdateControl.noStatusUpdate();
    }
}
