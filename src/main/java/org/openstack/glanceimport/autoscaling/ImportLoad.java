package org.openstack.glanceimport.autoscaling;

import java.util.Map;
import java.util.TreeMap;

/**
 * The import load of one GlanceAPI at one look at Glance's database. {@code inFlightByPod}: images staged and waiting
 * for their import, or being imported, per pod ordinal; {@code stagedBytesByPod}: their bytes (Glance knows an image's
 * size once its upload is in); {@code uploading}: uploads still in progress, whose pod Glance records only at their end.
 */
public record ImportLoad(Map<Integer, Integer> inFlightByPod, Map<Integer, Long> stagedBytesByPod, int uploading) {

    public ImportLoad {
        inFlightByPod = Map.copyOf(inFlightByPod);
        stagedBytesByPod = Map.copyOf(stagedBytesByPod);
    }

    public static ImportLoad idle() {
        return new ImportLoad(Map.of(), Map.of(), 0);
    }

    public int total() {
        return uploading + inFlightByPod.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int inFlight(int ordinal) {
        return inFlightByPod.getOrDefault(ordinal, 0);
    }

    public long stagedBytes(int ordinal) {
        return stagedBytesByPod.getOrDefault(ordinal, 0L);
    }

    /** Accumulates one staged or importing image of pod {@code ordinal}. */
    public static final class Builder {
        private final Map<Integer, Integer> inFlight = new TreeMap<>();
        private final Map<Integer, Long> bytes = new TreeMap<>();

        public Builder add(int ordinal, long size) {
            inFlight.merge(ordinal, 1, Integer::sum);
            bytes.merge(ordinal, Math.max(size, 0), Long::sum);
            return this;
        }

        public ImportLoad build(int uploading) {
            return new ImportLoad(inFlight, bytes, uploading);
        }
    }
}
