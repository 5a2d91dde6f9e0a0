package org.openstack.glanceimport.dependent;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
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

/** The StatefulSet {@code <name>}: one glance-api pod per ordinal, each on its own staging claim with its own URL. */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_BY_SELECTOR))
public class StatefulSetDependent extends CRUDKubernetesDependentResource<StatefulSet, GlanceAPI> {

    static final String CONTAINER = "glance-api";

    public StatefulSetDependent() {
        super(StatefulSet.class);
    }

    @Override
    protected StatefulSet desired(GlanceAPI api, Context<GlanceAPI> context) {
        RenderedConfig rendered = Rendered.of(context);
        GlanceAPISpec spec = api.getSpec();
        // volumeClaimTemplates are immutable: keep whatever an existing StatefulSet has. The operator creates and
        // resizes the claims itself (StagingClaimsDependent), so the template only binds the name "staging".
        List<PersistentVolumeClaim> templates = context.getSecondaryResource(StatefulSet.class)
                .map(sts -> sts.getSpec().getVolumeClaimTemplates())
                .filter(t -> !t.isEmpty())
                .orElseGet(() -> List.of(stagingTemplate(api, rendered)));
        return new StatefulSetBuilder()
                .withMetadata(Names.metadata(api, api.getMetadata().getName()))
                .withNewSpec()
                .withReplicas(Rendered.replicas(context))
                .withServiceName(Names.headlessService(api))
                .withPodManagementPolicy("Parallel")
                .withNewSelector().withMatchLabels(Names.selectorLabels(api)).endSelector()
                // the operator decides what happens to claims; the StatefulSet controller must never delete them
                .withNewPersistentVolumeClaimRetentionPolicy().withWhenScaled("Retain").withWhenDeleted("Retain")
                .endPersistentVolumeClaimRetentionPolicy()
                .withVolumeClaimTemplates(templates)
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Names.labels(api))
                .addToAnnotations(Names.CONFIG_HASH_ANNOTATION, rendered.configHash())
                .endMetadata()
                .withSpec(podSpec(api, rendered))
                .endTemplate()
                .endSpec()
                .build();
    }

    private static PersistentVolumeClaim stagingTemplate(GlanceAPI api, RenderedConfig rendered) {
        PersistentVolumeClaim claim = StagingClaimsDependent.claim(api, rendered.staging(), 0);
        return new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(Names.STAGING_VOLUME).withLabels(Names.labels(api)).endMetadata()
                .withSpec(claim.getSpec())
                .build();
    }

    private PodSpec podSpec(GlanceAPI api, RenderedConfig rendered) {
        GlanceAPISpec spec = api.getSpec();
        return new PodSpecBuilder()
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withTerminationGracePeriodSeconds(60L)
                .withSecurityContext(GlancePod.podSecurityContext())
                .withNodeSelector(spec.nodeSelector)
                .withTolerations(spec.tolerations)
                .withAffinity(spec.affinity != null ? spec.affinity : spreadAcrossNodes(api))
                .withContainers(container(api, rendered))
                .withVolumes(volumes(api))
                .build();
    }

    private Container container(GlanceAPI api, RenderedConfig rendered) {
        GlanceAPISpec spec = api.getSpec();
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(rendered.image())
                .withCommand("glance-api")
                .withArgs(GlancePod.configFileArgs(rendered))
                .withEnv(env(api))
                .addNewPort().withName("http").withContainerPort(spec.port).withProtocol("TCP").endPort()
                .withResources(spec.resources)
                .withStartupProbe(probe(spec.port, 5, 60))
                .withReadinessProbe(probe(spec.port, 10, 3))
                .withLivenessProbe(probe(spec.port, 20, 3))
                .withSecurityContext(GlancePod.containerSecurityContext())
                .withVolumeMounts(mounts(api))
                .build();
    }

    /**
     * Per-pod identity without a shell wrapper: oslo.config reads OS_DEFAULT__* from the environment and the kubelet
     * expands $(POD_NAME), so one pod template gives every pod its own URL and bind address.
     */
    static List<EnvVar> env(GlanceAPI api) {
        return List.of(
                fieldRef("POD_NAME", "metadata.name"),
                fieldRef("POD_NAMESPACE", "metadata.namespace"),
                fieldRef("POD_IP", "status.podIP"),
                new EnvVarBuilder().withName("OS_DEFAULT__BIND_HOST").withValue("$(POD_IP)").build(),
                new EnvVarBuilder().withName(SELF_REFERENCE_ENV).withValue(Names.selfReferenceUrlTemplate(api)).build());
    }

    public static final String SELF_REFERENCE_ENV = "OS_DEFAULT__WORKER_SELF_REFERENCE_URL";

    private static EnvVar fieldRef(String name, String path) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withApiVersion("v1").withFieldPath(path)
                .endFieldRef().endValueFrom().build();
    }

    private static Probe probe(int port, int period, int failures) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(GlancePaths.HEALTHCHECK_PATH).withPort(new IntOrString("http")).withScheme("HTTP").endHttpGet()
                .withPeriodSeconds(period)
                .withTimeoutSeconds(5)
                .withFailureThreshold(failures)
                .build();
    }

    private static List<VolumeMount> mounts(GlanceAPI api) {
        List<VolumeMount> mounts = new ArrayList<>(GlancePod.configAndTmpMounts());
        mounts.add(1, GlancePod.mount(Names.STAGING_VOLUME, GlancePaths.STATE_DIR, false));
        if (api.getSpec().storageBackend.usesRbd()) {
            mounts.add(GlancePod.mount("ceph", GlancePaths.CEPH_DIR, true));
        }
        return mounts;
    }

    private static List<Volume> volumes(GlanceAPI api) {
        List<Volume> volumes = new ArrayList<>(GlancePod.configAndTmpVolumes(api));
        if (api.getSpec().storageBackend.usesRbd()) {
            String user = api.getSpec().storageBackend.rbd.user;
            volumes.add(new VolumeBuilder().withName("ceph").withNewSecret().withSecretName(api.getSpec().storageBackend.rbd.secretName)
                    .withDefaultMode(0440)
                    .addNewItem().withKey("ceph.conf").withPath("ceph.conf").endItem()
                    .addNewItem().withKey("keyring").withPath(GlancePaths.cephKeyringFile(user)).endItem()
                    .endSecret().build());
        }
        return volumes;
    }

    /** Soft anti-affinity: losing a node should not take every staging area with it, but a small cluster still schedules. */
    private static Affinity spreadAcrossNodes(GlanceAPI api) {
        return new AffinityBuilder()
                .withNewPodAntiAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution()
                .withWeight(100)
                .withNewPodAffinityTerm()
                .withTopologyKey("kubernetes.io/hostname")
                .withNewLabelSelector().withMatchLabels(Names.selectorLabels(api)).endLabelSelector()
                .endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity()
                .build();
    }
}
