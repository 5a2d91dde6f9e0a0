package org.openstack.glanceimport.status;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Reads the {@code k8s.v1.cni.cncf.io/network-status} annotation Multus writes on a pod: a JSON array with one entry per
 * interface, the pod network's marked {@code "default": true}. Of each entry only the name, interface and addresses are
 * kept; anything else Multus adds (mac, dns, device-info) is ignored. The annotation is another program's writing, so
 * what cannot be read is reported as such, never thrown.
 */
public final class NetworkStatusAnnotation {

    /** One interface as Multus reports it. */
    // Jackson builds these by reflection, in the native image too
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(String name, @JsonProperty("interface") String interfaceName, List<String> ips,
            @JsonProperty("default") boolean isDefault) {

        public Entry {
            ips = ips == null ? List.of() : ips.stream().filter(Objects::nonNull).toList();
        }
    }

    /** The entries, or why there are none: {@code problem} is null when the annotation was read. */
    public record Parsed(List<Entry> entries, String problem) {

        public boolean readable() {
            return problem == null;
        }
    }

    /** One JSON document or nothing: what follows the array would mean the annotation is not what Multus wrote. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final TypeReference<List<Entry>> ENTRIES = new TypeReference<>() {
    };

    private NetworkStatusAnnotation() {
    }

    public static Parsed parse(String annotation) {
        if (annotation == null || annotation.isBlank()) {
            return new Parsed(List.of(), "empty");
        }
        try {
            List<Entry> entries = JSON.readValue(annotation, ENTRIES);
            if (entries == null || entries.contains(null)) {
                return new Parsed(List.of(), "not a JSON array of network entries");
            }
            return new Parsed(entries, null);
        } catch (JsonProcessingException e) {
            // the message of a JSON error quotes at most a few characters of the input; keep its first line only
            return new Parsed(List.of(), "not a JSON array of network entries (" + e.getOriginalMessage().lines().findFirst()
                    .orElse("") + ")");
        }
    }
}
