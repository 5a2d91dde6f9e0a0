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

    @JsonPropertyDescription("GlanceAPIs in this namespace that use this policy.")
    public List<String> consumers = new ArrayList<>();

    @JsonPropertyDescription("Ready, and Warning when the policy is valid but discouraged.")
    public List<Condition> conditions = new ArrayList<>();

    @Override
    public List<Condition> getConditions() {
        return conditions;
    }
}
