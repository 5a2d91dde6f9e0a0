package org.openstack.glanceimport.dependent;

import java.util.HashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.config.RenderedConfig;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.plan.ReconcilePlan;
import org.openstack.glanceimport.pod.NetworkAttachments;
import org.openstack.glanceimport.runtime.TrimmedItemStore;

/**
 * Pods {@code <name>-stage-host-<i>}: a glance-api that answers for a removed pod's stage host, so that a stranded image
 * staged there can be deleted through the Glance API. Glance forwards the delete of a staged image to its stage host and
 * fails while nobody answers there; a glance-api whose worker_self_reference_url is that host deletes the image itself.
 * The plan asks for one per ordinal with images due for deletion ({@link ReconcilePlan#standIns()}); it goes once they
 * are deleted.
 * It is the API pod's template with an empty staging directory, and without the labels the Services, the PDB and the
 * StatefulSet select by: it never receives user traffic.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_BY_SELECTOR + "," + StageHostStandInsDependent.LABEL + "=true", itemStore = TrimmedItemStore.class))
public class StageHostStandInsDependent extends KubernetesDependentResource<Pod, GlanceAPI>
        implements CRUDKubernetesBulkDependentResource<Pod, GlanceAPI>, KubernetesBulkDependentResource<Pod, GlanceAPI>,
        GarbageCollected<GlanceAPI> {

    public static final String LABEL = "import.glance.openstack.org/stage-host-stand-in";

    public StageHostStandInsDependent() {
        super(Pod.class);
    }

    @Override
    public Map<ResourceID, Pod> desiredResources(GlanceAPI api, Context<GlanceAPI> context) {
        Map<Integer, String> wanted = ReconcilePlan.of(context).standIns();
        Map<ResourceID, Pod> desired = new HashMap<>();
        if (wanted.isEmpty()) {
            return desired;
        }
        RenderedConfig rendered = ReconcilePlan.of(context).rendered();
        wanted.forEach((ordinal, stageHost) -> {
            Pod pod = standIn(api, context, rendered, ordinal, stageHost);
            desired.put(ResourceID.fromResource(pod), pod);
        });
        return desired;
    }

    @Override
    public Map<ResourceID, Pod> getSecondaryResources(GlanceAPI api, Context<GlanceAPI> context) {
        return PodClaimsDependent.ofKind(context, Pod.class, p -> p.getMetadata().getLabels() != null
                && "true".equals(p.getMetadata().getLabels().get(LABEL)));
    }

    /** A pod's spec cannot change, and a stand-in lives for minutes: one that exists is left as it is. */
    @Override
    public Matcher.Result<Pod> match(Pod actual, Pod desired, GlanceAPI api, Context<GlanceAPI> context) {
        return Matcher.Result.computed(true, desired);
    }

    static Pod standIn(GlanceAPI api, Context<GlanceAPI> context, RenderedConfig rendered, int ordinal, String stageHost) {
        PodSpec template = StatefulSetDependent.podSpec(api, context, rendered);
        PodSpecBuilder spec = new PodSpecBuilder(template)
                .withContainers(template.getContainers().stream().map(c -> answeringFor(c, stageHost)).toList())
                .addToVolumes(new VolumeBuilder().withName(Names.STAGING_VOLUME).withNewEmptyDir().endEmptyDir().build());
        if (api.getSpec().imageCache != null) {
            spec.addToVolumes(new VolumeBuilder().withName(Names.CACHE_VOLUME).withNewEmptyDir().endEmptyDir().build());
        }
        Map<String, String> labels = Names.jobPodLabels(api);
        labels.put(LABEL, "true");
        labels.put(Names.ORDINAL_LABEL, Integer.toString(ordinal));
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(Names.stageHostStandIn(api, ordinal)).withNamespace(api.getMetadata().getNamespace())
                .withLabels(labels).endMetadata()
                .withSpec(spec.build())
                .build();
        // a stand-in is a glance-api deleting images from the stores: it needs the storage network as the API pods do
        NetworkAttachments.addTo(pod.getMetadata(), api.getSpec());
        return pod;
    }

    private static Container answeringFor(Container container, String stageHost) {
        if (!Names.GLANCE_API_CONTAINER.equals(container.getName())) {
            return container;
        }
        ContainerBuilder c = new ContainerBuilder(container);
        c.removeMatchingFromEnv(e -> StatefulSetDependent.SELF_REFERENCE_ENV.equals(e.getName()));
        return c.addToEnv(new EnvVarBuilder().withName(StatefulSetDependent.SELF_REFERENCE_ENV).withValue(stageHost).build()).build();
    }
}
