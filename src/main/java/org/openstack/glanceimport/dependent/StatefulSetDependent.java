package org.openstack.glanceimport.dependent;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.config.GlancePaths;
import org.openstack.glanceimport.config.RenderedConfig;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.openshift.SccAdmission;
import org.openstack.glanceimport.plan.ReconcilePlan;
import org.openstack.glanceimport.pod.ExtraMounts;
import org.openstack.glanceimport.pod.GlancePod;
import org.openstack.glanceimport.pod.HealthProbes;
import org.openstack.glanceimport.pod.ImportDrain;
import org.openstack.glanceimport.pod.NetworkAttachments;
import org.openstack.glanceimport.pod.OperandImage;
import org.openstack.glanceimport.pod.Placement;
import org.openstack.glanceimport.pod.ServerCommand;
import org.openstack.glanceimport.pod.StoreVolumes;
import org.openstack.glanceimport.runtime.TrimmedItemStore;

/** The StatefulSet {@code <name>}: one glance-api pod per ordinal, each on its own staging claim with its own URL. */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_BY_SELECTOR, itemStore = TrimmedItemStore.class))
public class StatefulSetDependent extends CRUDKubernetesDependentResource<StatefulSet, GlanceAPI> {


    public StatefulSetDependent() {
        super(StatefulSet.class);
    }

    @Override
    protected StatefulSet desired(GlanceAPI api, Context<GlanceAPI> context) {
        RenderedConfig rendered = ReconcilePlan.of(context).rendered();
        GlanceAPISpec spec = api.getSpec();
        // volumeClaimTemplates are immutable: while an existing StatefulSet binds the same names, keep the sizes its
        // templates were created with (the operator creates and resizes the claims itself, so a template only binds a
        // name: "staging", "image-cache"). Only the sizes: the server adds volumeMode and a status to every stored
        // template, and a desired state that carried them would differ from what the operator applied at every reconcile
        List<PersistentVolumeClaim> templates = claimTemplates(api, rendered);
        context.getSecondaryResource(StatefulSet.class).map(sts -> sts.getSpec().getVolumeClaimTemplates())
                .filter(existing -> templateNames(existing).equals(templateNames(templates)))
                .ifPresent(existing -> keepSizes(templates, existing));
        StatefulSet sts = new StatefulSetBuilder()
                .withMetadata(Names.metadata(api, api.getMetadata().getName()))
                .withNewSpec()
                .withReplicas(ReconcilePlan.of(context).replicas())
                .withServiceName(Names.headlessService(api))
                .withPodManagementPolicy("Parallel")
                // Kubernetes' default strategy, said outright so that a partition once set is always set back
                .withNewUpdateStrategy().withType("RollingUpdate")
                .withNewRollingUpdate().withPartition(ReconcilePlan.of(context).roll().partition()).endRollingUpdate()
                .endUpdateStrategy()
                .withNewSelector().withMatchLabels(Names.selectorLabels(api)).endSelector()
                // the operator decides what happens to claims; the StatefulSet controller must never delete them. That is
                // its default (persistentVolumeClaimRetentionPolicy Retain/Retain), so the policy is not set: Kubernetes 1.26
                // drops the field (feature gate StatefulSetAutoDeletePVC, off until 1.27), and a desired policy would then
                // never match the stored StatefulSet, which would be applied again at every reconcile
                .withVolumeClaimTemplates(templates)
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Names.labels(api))
                .addToAnnotations(Names.CONFIG_HASH_ANNOTATION, rendered.configHash())
                .endMetadata()
                .withSpec(podSpec(api, context, rendered))
                .endTemplate()
                .endSpec()
                .build();
        NetworkAttachments.addTo(sts.getSpec().getTemplate().getMetadata(), spec);
        return sts;
    }

    private static List<PersistentVolumeClaim> claimTemplates(GlanceAPI api, RenderedConfig rendered) {
        List<PersistentVolumeClaim> templates = new ArrayList<>();
        templates.add(template(api, Names.STAGING_VOLUME, StagingClaimsDependent.claim(api, rendered.staging(), 0)));
        if (api.getSpec().imageCache != null) {
            templates.add(template(api, Names.CACHE_VOLUME, CacheClaimsDependent.claim(api, 0)));
        }
        return templates;
    }

    private static PersistentVolumeClaim template(GlanceAPI api, String name, PersistentVolumeClaim claim) {
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(name).withLabels(Names.labels(api)).endMetadata()
                .withSpec(claim.getSpec())
                .build();
    }

    private static void keepSizes(List<PersistentVolumeClaim> templates, List<PersistentVolumeClaim> existing) {
        for (PersistentVolumeClaim template : templates) {
            existing.stream().filter(e -> e.getMetadata().getName().equals(template.getMetadata().getName())).findFirst()
                    .ifPresent(e -> template.getSpec().setResources(e.getSpec().getResources()));
        }
    }

    private static Set<String> templateNames(List<PersistentVolumeClaim> templates) {
        return templates.stream().map(t -> t.getMetadata().getName()).collect(Collectors.toSet());
    }

    /**
     * A StatefulSet cannot change its claim templates. When the set of claims changes (image cache turned on or off),
     * delete it leaving its pods running (orphan), and the next reconcile, woken by the deletion, creates the new one:
     * it adopts the pods and rolls them onto the new template one at a time.
     */
    @Override
    public StatefulSet update(StatefulSet actual, StatefulSet desired, GlanceAPI api, Context<GlanceAPI> context) {
        Set<String> was = templateNames(actual.getSpec().getVolumeClaimTemplates());
        Set<String> now = templateNames(desired.getSpec().getVolumeClaimTemplates());
        if (was.equals(now)) {
            return super.update(actual, desired, api, context);
        }
        context.getClient().resource(actual).withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
        ReconcilePlan.of(context).news().normal(api, "StatefulSetReplaced", "Claim templates change from " + new TreeSet<>(was) + " to "
                + new TreeSet<>(now) + ": StatefulSet " + actual.getMetadata().getName()
                + " is re-created; its pods keep running and then roll one at a time");
        return actual;
    }

    static PodSpec podSpec(GlanceAPI api, Context<GlanceAPI> context, RenderedConfig rendered) {
        GlanceAPISpec spec = api.getSpec();
        List<Container> containers = new ArrayList<>(List.of(glanceApi(api, rendered)));
        if (spec.tlsEnabled()) {
            containers.add(tlsProxy(api));
        }
        return new PodSpecBuilder()
                .withServiceAccountName(SccAdmission.podServiceAccount(api, context))
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withTerminationGracePeriodSeconds(ImportDrain.terminationGracePeriodSeconds(api))
                .withSecurityContext(GlancePod.podSecurityContext())
                .withNodeSelector(spec.nodeSelector)
                .withTolerations(spec.tolerations)
                .withAffinity(Placement.affinity(api))
                .withTopologySpreadConstraints(Placement.spread(api))
                .withContainers(containers)
                .withVolumes(volumes(api))
                .build();
    }

    private static Container glanceApi(GlanceAPI api, RenderedConfig rendered) {
        GlanceAPISpec spec = api.getSpec();
        ServerCommand server = ServerCommand.of(spec, rendered);
        ContainerBuilder container = new ContainerBuilder()
                .withName(Names.GLANCE_API_CONTAINER)
                .withImage(rendered.image())
                .withCommand(server.program())
                .withArgs(server.args())
                .withEnv(env(api, rendered, server))
                .withResources(spec.resources)
                .withSecurityContext(GlancePod.containerSecurityContext())
                .withVolumeMounts(mounts(api))
                .withLifecycle(ImportDrain.preStop(api));
        if (spec.tlsEnabled()) {
            return container.withLivenessProbe(HealthProbes.livenessFromInside(spec, GlanceAPISpec.TLS_BACKEND_PORT)).build();
        }
        return HealthProbes.serving(container.addNewPort().withName("http").withContainerPort(spec.port).withProtocol("TCP").endPort(),
                spec, "http", "HTTP").build();
    }

    /** Terminates TLS on the API port and forwards to glance-api on localhost; its probes go through to Glance. */
    private static Container tlsProxy(GlanceAPI api) {
        return HealthProbes.serving(new ContainerBuilder()
                .withName(TLS_PROXY_CONTAINER)
                .withImage(api.getSpec().tls.proxyImage != null ? api.getSpec().tls.proxyImage : OperandImage.tlsProxyFromEnvironment())
                .withCommand("haproxy", "-W", "-db", "-f", GlancePaths.TLS_PROXY_DIR + "/" + GlancePaths.TLS_PROXY_CONF)
                .withEnv(fieldRef("POD_IP", "status.podIP"))
                .addNewPort().withName("https").withContainerPort(api.getSpec().port).withProtocol("TCP").endPort()
                .withNewResources().addToRequests("cpu", new Quantity("50m")).addToRequests("memory", new Quantity("32Mi"))
                .addToLimits("memory", new Quantity("256Mi")).endResources()
                .withSecurityContext(GlancePod.containerSecurityContext())
                .withVolumeMounts(GlancePod.mount(TLS_PROXY_VOLUME, GlancePaths.TLS_PROXY_DIR, true)), api.getSpec(), "https", "HTTPS")
                .build();
    }

    static final String TLS_PROXY_CONTAINER = "tls-proxy";
    private static final String TLS_PROXY_VOLUME = "tls-proxy";
    private static final String TLS_CA_VOLUME = "tls-ca";

    /**
     * Per-pod identity without a shell wrapper: oslo.config reads OS_DEFAULT__* from the environment and the kubelet
     * expands $(POD_NAME), so one pod template gives every pod its own URL (and, under eventlet, bind address).
     */
    static List<EnvVar> env(GlanceAPI api, RenderedConfig rendered, ServerCommand server) {
        List<EnvVar> env = new ArrayList<>(List.of(
                fieldRef("POD_NAME", "metadata.name"),
                fieldRef("POD_NAMESPACE", "metadata.namespace"),
                fieldRef("POD_IP", "status.podIP")));
        env.addAll(server.env());
        env.add(new EnvVarBuilder().withName(SELF_REFERENCE_ENV).withValue(Names.selfReferenceUrlTemplate(api)).build());
        if (api.getSpec().tlsEnabled()) {
            // Glance proxies imports with keystoneauth (requests), which verifies peers against this bundle
            env.add(new EnvVarBuilder().withName("REQUESTS_CA_BUNDLE").withValue(GlancePaths.TLS_CA_FILE).build());
        }
        StoreVolumes.s3CaBundle(rendered).ifPresent(env::add);
        return env;
    }

    public static final String SELF_REFERENCE_ENV = "OS_DEFAULT__WORKER_SELF_REFERENCE_URL";

    private static EnvVar fieldRef(String name, String path) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withApiVersion("v1").withFieldPath(path)
                .endFieldRef().endValueFrom().build();
    }

    private static List<VolumeMount> mounts(GlanceAPI api) {
        List<VolumeMount> mounts = new ArrayList<>(GlancePod.configAndTmpMounts());
        mounts.add(1, GlancePod.mount(Names.STAGING_VOLUME, GlancePaths.STATE_DIR, false));
        StoreVolumes.cephMount(api).ifPresent(mounts::add);
        if (api.getSpec().imageCache != null) {
            mounts.add(GlancePod.mount(Names.CACHE_VOLUME, GlancePaths.CACHE_DIR, false));
        }
        api.getSpec().sharedFileStores().forEach(store -> mounts.add(GlancePod.mount(Names.storeVolume(store), GlancePaths.fileStoreDir(store), false)));
        if (api.getSpec().tlsEnabled()) {
            mounts.add(GlancePod.mount(TLS_CA_VOLUME, GlancePaths.TLS_CA_DIR, true));
        }
        mounts.addAll(ExtraMounts.mounts(api.getSpec()));
        return mounts;
    }

    private static List<Volume> volumes(GlanceAPI api) {
        GlanceAPISpec spec = api.getSpec();
        List<Volume> volumes = new ArrayList<>(GlancePod.configAndTmpVolumes(api));
        StoreVolumes.ceph(api).ifPresent(volumes::add);
        spec.sharedFileStores().forEach(store -> volumes.add(new VolumeBuilder().withName(Names.storeVolume(store))
                .withNewPersistentVolumeClaim().withClaimName(store.sharedClaim()).endPersistentVolumeClaim().build()));
        if (spec.tlsEnabled()) {
            volumes.add(new VolumeBuilder().withName(TLS_CA_VOLUME).withNewSecret().withSecretName(spec.tls.caSecret()).withDefaultMode(0440)
                    .addNewItem().withKey("ca.crt").withPath("ca.crt").endItem().endSecret().build());
            volumes.add(new VolumeBuilder().withName(TLS_PROXY_VOLUME).withNewProjected().withDefaultMode(0440)
                    .addNewSource().withNewConfigMap().withName(Names.configMap(api))
                    .addNewItem().withKey(GlancePaths.TLS_PROXY_CONF).withPath(GlancePaths.TLS_PROXY_CONF).endItem().endConfigMap().endSource()
                    .addNewSource().withNewSecret().withName(spec.tls.secretName)
                    .addNewItem().withKey("tls.crt").withPath("tls.crt").endItem()
                    // haproxy loads the key from <crt>.key
                    .addNewItem().withKey("tls.key").withPath("tls.crt.key").endItem().endSecret().endSource()
                    .endProjected().build());
        }
        volumes.addAll(ExtraMounts.volumes(spec));
        return volumes;
    }
}
