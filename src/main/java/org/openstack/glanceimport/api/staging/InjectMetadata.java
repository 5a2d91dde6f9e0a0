package org.openstack.glanceimport.api.staging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

public class InjectMetadata {

    @JsonPropertyDescription("Properties set on every imported image.")
    @Size(min = 1, max = 64)
    public Map<String, String> properties = new TreeMap<>();

    @JsonPropertyDescription("Users with any of these roles are exempt (default: admin).")
    public List<String> ignoredRoles = new ArrayList<>(List.of("admin"));
}
