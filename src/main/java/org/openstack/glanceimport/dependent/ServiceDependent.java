package org.openstack.glanceimport.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.exposure.ServiceShape;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.runtime.TrimmedItemStore;

/**
 * The two Services of a GlanceAPI: the ClusterIP one clients use, and the headless one that gives every pod the DNS name
 * its worker_self_reference_url points at. One class serves both; the subclasses only pick which. spec.service
 * shapes the ClusterIP one only ({@link ServiceShape}): the pods' names must stay in-cluster and headless.
 */
public abstract class ServiceDependent extends CRUDKubernetesDependentResource<Service, GlanceAPI> {

    private final boolean headless;

    protected ServiceDependent(boolean headless) {
        super(Service.class);
        this.headless = headless;
    }

    @Override
    protected Service desired(GlanceAPI api, Context<GlanceAPI> context) {
        ServiceBuilder builder = new ServiceBuilder()
                .withMetadata(Names.metadata(api, headless ? Names.headlessService(api) : Names.service(api)))
                .withNewSpec()
                .withSelector(Names.selectorLabels(api))
                .addNewPort()
                .withName(Names.portName(api))
                .withProtocol("TCP")
                .withPort(api.getSpec().port)
                .withTargetPort(new IntOrString(Names.portName(api)))
                .endPort()
                .endSpec();
        if (headless) {
            // a pod must resolve before it is ready: another pod may proxy an import to it while it starts
            builder.editSpec().withClusterIP("None").withPublishNotReadyAddresses(true).endSpec();
        } else {
            ServiceShape.apply(api, builder);
        }
        return builder.build();
    }

    // on each concrete class: JOSDK does not read the annotation from a superclass, and without the selector the
    // informer would cache every Service of the watched namespaces
    @KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_BY_SELECTOR, itemStore = TrimmedItemStore.class))
    public static class Headless extends ServiceDependent {
        public Headless() {
            super(true);
        }
    }

    @KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_BY_SELECTOR, itemStore = TrimmedItemStore.class))
    public static class ClusterIP extends ServiceDependent {
        public ClusterIP() {
            super(false);
        }
    }
}
