package org.openstack.glanceimport.api;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class GlanceImportStagingStatus implements WithConditions {

    @JsonPropertyDescription("Generation of the spec this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("ConfigMap holding the rendered import configuration.")
    public String configMap;

    // not kept up to date while the policy lives: a list every consumer's arrival and departure rewrites costs one status
    // write per GlanceAPI (quadratic bytes for a shared policy); `kubectl get gapi` shows each one's policy instead
    @JsonPropertyDescription("While a deletion waits: the GlanceAPIs in this namespace that still use this policy. "
            + "Empty otherwise; the STAGING column of `kubectl get glanceapis` shows which policy each one uses.")
    public List<String> consumers = new ArrayList<>();

    @JsonPropertyDescription("Ready, and Warning when the policy is valid but discouraged.")
    public List<Condition> conditions = new ArrayList<>();

    @Override
    public List<Condition> getConditions() {
        return conditions;
    }
}
