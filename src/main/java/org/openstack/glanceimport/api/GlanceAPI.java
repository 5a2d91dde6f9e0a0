package org.openstack.glanceimport.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A Glance image API whose pods each stage imports on their own claim and advertise their own URL. */
@Group(GlanceAPI.GROUP)
@Version(GlanceAPI.VERSION)
@ShortNames("gapi")
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".spec.replicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Desired", jsonPath = ".status.autoscaling.desiredReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Scaling", jsonPath = ".status.autoscaling.reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.readyReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Staging", jsonPath = ".spec.stagingRef", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Staging Size", jsonPath = ".status.stagingSize", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
// names that cannot work are refused when the GlanceAPI is created, not after half its objects exist (GlanceApiName)
@ValidationRule(value = GlanceAPI.NAME_LENGTH_RULE, message = GlanceAPI.NAME_LENGTH_MESSAGE)
@ValidationRule(value = GlanceAPI.NAME_FORMAT_RULE, message = GlanceAPI.NAME_FORMAT_MESSAGE)
public class GlanceAPI extends CustomResource<GlanceAPISpec, GlanceAPIStatus> implements Namespaced {

    public static final String GROUP = "import.glance.openstack.org";
    public static final String VERSION = "v1beta1";

    /**
     * The longest name whose derived names all fit: CronJob NAME-cache-31 (a CronJob name has at most 52 characters, as
     * its Jobs append 11) and Job NAME-db-sync-HASH (the job-name label it gets holds at most 63).
     */
    public static final int MAX_NAME_LENGTH = 43;
    /** A DNS-1035 label: the name is also the prefix of Service names. */
    public static final String NAME_PATTERN = "^[a-z]([-a-z0-9]*[a-z0-9])?$";
    static final String NAME_LENGTH_RULE = "self.metadata.name.size() <= " + MAX_NAME_LENGTH;
    public static final String NAME_LENGTH_MESSAGE = "the name must be at most " + MAX_NAME_LENGTH + " characters: the "
            + "operator names CronJobs NAME-cache-31 (at most 52 characters) and Jobs NAME-db-sync-HASH after it";
    static final String NAME_FORMAT_RULE = "self.metadata.name.matches('" + NAME_PATTERN + "')";
    public static final String NAME_FORMAT_MESSAGE = "the name must start with a lower-case letter and contain only lower-case "
            + "letters, digits and '-' (a DNS-1035 label): Services NAME and NAME-headless are named after it";

    /**
     * No spec until one is read or set. JOSDK adds finalizers by server-side applying a newly constructed resource, and
     * whatever spec that carries is force-applied over the user's: a spec built from the Java field defaults once
     * reset replicas, ports and sizes. The operator writes only metadata.finalizers, the keystone-registration label and
     * status; defaults are the CRD's.
     */
    @Override
    protected GlanceAPISpec initSpec() {
        return null;
    }

}
