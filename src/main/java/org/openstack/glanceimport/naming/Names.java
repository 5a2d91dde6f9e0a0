package org.openstack.glanceimport.naming;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.stores.Store;

/** Names and labels of what a GlanceAPI becomes; users see these, so they are part of the API. */
public final class Names {

    public static final String MANAGED_BY = "glance-import-operator";
    public static final String MANAGED_BY_SELECTOR = "app.kubernetes.io/managed-by=" + MANAGED_BY;
    /** The controllers' names: in their configuration, their metrics and their log lines. */
    public static final String GLANCEAPI_CONTROLLER = "glanceapi";
    public static final String STAGING_CONTROLLER = "glanceimportstaging";
    /** The container that runs glance-api in every pod of a GlanceAPI (and in its stand-ins). */
    public static final String GLANCE_API_CONTAINER = "glance-api";
    public static final String GLANCEAPI_LABEL = "import.glance.openstack.org/glanceapi";
    /** What the operator made for a GlanceAPI: not a policy's objects, which another informer caches. */
    public static final String GLANCEAPI_OBJECTS_SELECTOR = MANAGED_BY_SELECTOR + "," + GLANCEAPI_LABEL;
    /** The glance-api pods of every GlanceAPI (selectorLabels' name): not its Job pods nor stand-ins (jobPodLabels). */
    public static final String API_PODS_SELECTOR = MANAGED_BY_SELECTOR + ",app.kubernetes.io/name=glance-api";
    public static final String ORDINAL_LABEL = "import.glance.openstack.org/ordinal";
    public static final String STAGING_LABEL = "import.glance.openstack.org/staging";
    public static final String CONFIG_HASH_ANNOTATION = "import.glance.openstack.org/config-hash";
    public static final String STAGING_VOLUME = "staging";
    public static final String CACHE_VOLUME = "image-cache";
    /** Prefix of a shared file store's volume; store names are at most 31 characters, so the volume name is a DNS label. */
    public static final String STORE_VOLUME_PREFIX = "store-";

    private Names() {
    }

    public static String configMap(GlanceAPI api) {
        return api.getMetadata().getName() + "-config";
    }

    public static String secret(GlanceAPI api) {
        return api.getMetadata().getName() + "-secrets";
    }

    /** The Service clients use (spec.service shapes it); the Route of spec.route points at it and has its name. */
    public static String service(GlanceAPI api) {
        return api.getMetadata().getName();
    }

    public static String route(GlanceAPI api) {
        return api.getMetadata().getName();
    }

    public static String headlessService(GlanceAPI api) {
        return api.getMetadata().getName() + "-headless";
    }

    public static String pod(GlanceAPI api, int ordinal) {
        return api.getMetadata().getName() + "-" + ordinal;
    }

    /** Exactly the name the StatefulSet controller gives the claim of the "staging" template, so pods adopt ours. */
    public static String stagingClaim(GlanceAPI api, int ordinal) {
        return STAGING_VOLUME + "-" + pod(api, ordinal);
    }

    /** The pod that answers at a removed pod's stage host while a stranded image is deleted (StageHostStandInsDependent). */
    public static String stageHostStandIn(GlanceAPI api, int ordinal) {
        return api.getMetadata().getName() + "-stage-host-" + ordinal;
    }

    public static String podHost(GlanceAPI api, String podName) {
        return podName + "." + headlessService(api) + "." + api.getMetadata().getNamespace() + ".svc";
    }

    /**
     * The ordinal of this GlanceAPI's pod that a stage host URL names, whatever its scheme and port; empty for any other
     * host (another GlanceAPI sharing the database, another Glance).
     */
    public static OptionalInt ordinalOfStageHost(GlanceAPI api, String stageHost) {
        String host;
        try {
            host = URI.create(stageHost).getHost();
        } catch (IllegalArgumentException e) {
            return OptionalInt.empty();
        }
        String prefix = api.getMetadata().getName() + "-";
        String suffix = "." + headlessService(api) + "." + api.getMetadata().getNamespace() + ".svc";
        if (host == null || !host.startsWith(prefix) || !host.endsWith(suffix) || host.length() <= prefix.length() + suffix.length()) {
            return OptionalInt.empty();
        }
        String ordinal = host.substring(prefix.length(), host.length() - suffix.length());
        return ordinal.matches("0|[1-9][0-9]{0,4}") ? OptionalInt.of(Integer.parseInt(ordinal)) : OptionalInt.empty();
    }

    /** The per-pod URL other pods proxy imports to; $(POD_NAME) is expanded by the kubelet. */
    public static String selfReferenceUrlTemplate(GlanceAPI api) {
        return scheme(api) + podHost(api, "$(POD_NAME)") + ":" + api.getSpec().port;
    }

    public static String selfReferenceUrl(GlanceAPI api, int ordinal) {
        return scheme(api) + podHost(api, pod(api, ordinal)) + ":" + api.getSpec().port;
    }

    public static String endpoint(GlanceAPI api) {
        return scheme(api) + api.getMetadata().getName() + "." + api.getMetadata().getNamespace() + ".svc:" + api.getSpec().port;
    }

    /** Where clients outside the cluster reach a load balancer's address; IPv6 addresses in brackets. */
    public static String loadBalancerUrl(GlanceAPI api, String address) {
        return scheme(api) + (address.contains(":") ? "[" + address + "]" : address) + ":" + api.getSpec().port;
    }

    /** A Route's admitted host: every termination ends TLS at the router first, on its default port. */
    public static String routeUrl(String host) {
        return "https://" + host;
    }

    private static String scheme(GlanceAPI api) {
        return api.getSpec().tlsEnabled() ? "https://" : "http://";
    }

    /** Name of the API port on containers and Services. */
    public static String portName(GlanceAPI api) {
        return api.getSpec().tlsEnabled() ? "https" : "http";
    }

    /** As the StatefulSet controller names the claim of the "image-cache" template. */
    public static String cacheClaim(GlanceAPI api, int ordinal) {
        return CACHE_VOLUME + "-" + pod(api, ordinal);
    }

    public static String cacheCronJob(GlanceAPI api, int ordinal) {
        return api.getMetadata().getName() + "-cache-" + ordinal;
    }

    /** The pods' ServiceAccount on OpenShift (SccAdmission); elsewhere they use the namespace's default one. */
    public static String serviceAccount(GlanceAPI api) {
        return api.getMetadata().getName();
    }


    public static String dbPurgeCronJob(GlanceAPI api) {
        return api.getMetadata().getName() + "-db-purge";
    }

    public static Map<String, String> selectorLabels(GlanceAPI api) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "glance-api");
        labels.put("app.kubernetes.io/instance", api.getMetadata().getName());
        return labels;
    }

    public static Map<String, String> labels(GlanceAPI api) {
        Map<String, String> labels = selectorLabels(api);
        labels.put("app.kubernetes.io/component", "image-api");
        labels.put("app.kubernetes.io/part-of", "openstack-glance");
        labels.put("app.kubernetes.io/managed-by", MANAGED_BY);
        labels.put(GLANCEAPI_LABEL, api.getMetadata().getName());
        return labels;
    }

    /**
     * Labels of Job pods: the GlanceAPI's, except the name the Services, the PDB and the StatefulSet select by, so a
     * maintenance pod never receives API traffic or counts as an API pod.
     */
    public static Map<String, String> jobPodLabels(GlanceAPI api) {
        Map<String, String> labels = labels(api);
        labels.put("app.kubernetes.io/name", "glance-maintenance");
        return labels;
    }

    /** Metadata of an object the GlanceAPI owns: its name, the GlanceAPI's namespace, the common labels. */
    public static ObjectMeta metadata(GlanceAPI api, String name) {
        return new ObjectMetaBuilder().withName(name).withNamespace(api.getMetadata().getNamespace()).withLabels(labels(api)).build();
    }

    public static String selector(GlanceAPI api) {
        StringBuilder out = new StringBuilder();
        selectorLabels(api).forEach((k, v) -> out.append(out.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return out.toString();
    }

    /** The pod volume of a shared file store's claim. */
    public static String storeVolume(Store store) {
        return STORE_VOLUME_PREFIX + store.name;
    }
}
