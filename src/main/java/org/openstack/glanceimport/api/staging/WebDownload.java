package org.openstack.glanceimport.api.staging;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

public class WebDownload {

    @JsonPropertyDescription("URI schemes web-download may fetch from (default: https only).")
    public List<String> allowedSchemes = new ArrayList<>(List.of("https"));

    @JsonPropertyDescription("Ports web-download may connect to (default: 443).")
    public List<@Min(1) @Max(65535) Integer> allowedPorts = new ArrayList<>(List.of(443));

    @JsonPropertyDescription("Hosts web-download must never fetch from, e.g. metadata services.")
    public List<String> disallowedHosts = new ArrayList<>(List.of("169.254.169.254", "localhost", "127.0.0.1", "::1"));
}
