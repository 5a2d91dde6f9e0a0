package org.openstack.glanceimport.exposure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ServiceBuilder;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.exposure.ServiceOverride;
import org.openstack.glanceimport.naming.Names;

/**
 * Shapes the public Service as spec.service asks. Without spec.service the Service stays the ClusterIP one it always
 * was, field for field, so existing GlanceAPIs see no change. Fields the API server fills in (clusterIP, allocated
 * nodePorts, healthCheckNodePort) are never set here, so they cause no drift.
 */
public final class ServiceShape {

    private ServiceShape() {
    }

    public static void apply(GlanceAPI api, ServiceBuilder builder) {
        ServiceOverride o = api.getSpec().service;
        if (o == null) {
            builder.editSpec().withType("ClusterIP").endSpec();
            return;
        }
        builder.editMetadata().withLabels(labels(api, o.labels)).endMetadata();
        if (o.annotations != null && !o.annotations.isEmpty()) {
            builder.editMetadata().withAnnotations(new LinkedHashMap<>(o.annotations)).endMetadata();
        }
        builder.editSpec()
                .withType(o.typeOrDefault().name())
                .withLoadBalancerIP(o.loadBalancerIP)
                .withLoadBalancerClass(o.loadBalancerClass)
                .withExternalTrafficPolicy(o.externalTrafficPolicy == null ? null : o.externalTrafficPolicy.name())
                .withIpFamilies(o.ipFamilies == null || o.ipFamilies.isEmpty() ? null : o.ipFamilies.stream().map(Enum::name).toList())
                .withIpFamilyPolicy(o.ipFamilyPolicy == null ? null : o.ipFamilyPolicy.name())
                .endSpec();
        if (o.nodePort != null) {
            builder.editSpec().editFirstPort().withNodePort(o.nodePort).endPort().endSpec();
        }
    }

    /**
     * The operator's labels, plus the user's that do not clash with them: the Services and the PodDisruptionBudget
     * select by those keys and the informers by managed-by. The CRD refuses clashing keys; this holds where its rules
     * are not evaluated.
     */
    static Map<String, String> labels(GlanceAPI api, Map<String, String> extra) {
        Map<String, String> own = Names.labels(api);
        Map<String, String> labels = new LinkedHashMap<>(own);
        if (extra != null) {
            extra.forEach((k, v) -> {
                if (!own.containsKey(k)) {
                    labels.put(k, v);
                }
            });
        }
        return labels;
    }
}
