package org.openstack.glanceimport.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.client.utils.Serialization;

/** target/bench.json, which `make bench` and `make measure` share: each adds its keys and keeps the others'. */
public final class BenchJson {

    public static final Path FILE = Path.of("target", "bench.json");

    private BenchJson() {
    }

    @SuppressWarnings("unchecked")
    public static void merge(Map<String, Object> results) throws java.io.IOException {
        Map<String, Object> all = new LinkedHashMap<>();
        if (Files.exists(FILE)) {
            all.putAll(Serialization.unmarshal(Files.readString(FILE), Map.class));
        }
        all.putAll(results);
        Files.writeString(FILE, Serialization.asJson(all));
        System.out.println("written to " + FILE.toAbsolutePath());
    }
}
