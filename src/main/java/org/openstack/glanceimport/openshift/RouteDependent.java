package org.openstack.glanceimport.openshift;

import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.openshift.api.model.Route;
import io.fabric8.openshift.api.model.RouteBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.exposure.RouteOverride;
import org.openstack.glanceimport.api.exposure.RouteTermination;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.plan.ReconcilePlan;
import org.openstack.glanceimport.runtime.TrimmedItemStore;

/**
 * The Route of spec.route, to the GlanceAPI's Service. Fields the router or the API server fills in (a generated host,
 * the backend's weight, the wildcard policy) are left out, so they cause no drift.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_BY_SELECTOR, itemStore = TrimmedItemStore.class))
public class RouteDependent extends CRUDKubernetesDependentResource<Route, GlanceAPI> {

    public static final String ROUTER_TIMEOUT = "haproxy.router.openshift.io/timeout";

    public RouteDependent() {
        super(Route.class);
    }

    @Override
    protected Route desired(GlanceAPI api, Context<GlanceAPI> context) {
        // JOSDK also asks for the desired Route to find the one to delete once spec.route is gone: only its name matters then
        RouteOverride route = api.getSpec().route != null ? api.getSpec().route : new RouteOverride();
        RouteTermination termination = route.terminationOrDefault();
        ObjectMeta metadata = Names.metadata(api, Names.route(api));
        // the router cuts a connection silent for 30 s by default: an upload that the pods allow to pause (apiTimeout)
        // must not be cut in front of them. The user's annotation wins
        Map<String, String> annotations = new LinkedHashMap<>(Map.of(ROUTER_TIMEOUT, api.getSpec().apiTimeoutOrDefault() + "s"));
        if (route.annotations != null) {
            annotations.putAll(route.annotations);
        }
        metadata.setAnnotations(annotations);
        return new RouteBuilder().withMetadata(metadata)
                .withNewSpec()
                .withHost(route.host)
                .withNewTo().withKind("Service").withName(Names.service(api)).endTo()
                .withNewPort().withTargetPort(new IntOrString(Names.portName(api))).endPort()
                .withNewTls()
                .withTermination(termination.name())
                // the router verifies the pods' certificate with the CA it chains to; public, not a secret
                .withDestinationCACertificate(termination == RouteTermination.reencrypt ? ReconcilePlan.of(context).glanceCaPem() : null)
                .endTls()
                .endSpec()
                .build();
    }

    /**
     * The activation condition: the cluster serves Routes. Where it serves none, no informer for Routes is started (it
     * would fail), and the status says why there is no Route. It holds for the cluster, not for a GlanceAPI: JOSDK deletes
     * nothing when an activation condition turns false, so whether a GlanceAPI wants one is the precondition below.
     */
    public static class Served implements Condition<HasMetadata, GlanceAPI> {
        @Override
        public boolean isMet(DependentResource<HasMetadata, GlanceAPI> dependent, GlanceAPI api, Context<GlanceAPI> context) {
            return ReconcilePlan.of(context).routesServed();
        }
    }

    /** The reconcile precondition: spec.route is set. Once it is removed, JOSDK deletes the Route. */
    public static class Asked implements Condition<HasMetadata, GlanceAPI> {
        @Override
        public boolean isMet(DependentResource<HasMetadata, GlanceAPI> dependent, GlanceAPI api, Context<GlanceAPI> context) {
            return api.getSpec().route != null;
        }
    }
}
