package org.openstack.glanceimport.autoscaling;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

import io.fabric8.kubernetes.api.model.Quantity;

import org.openstack.glanceimport.api.autoscaling.Autoscaling;

/**
 * What to do when a pod's staged images approach its staging claim's size. The claim of that pod grows first, up to
 * maxStagingSize where its StorageClass allows expansion: the images staged there can only be imported there, and their
 * conversion writes its output beside them, so only room on that very pod helps them; a new pod only takes its share of
 * new uploads (the Service spreads them), and the full pod keeps getting its share too. When no pod can grow any more and
 * every pod is under pressure, one pod is added, so that new uploads have somewhere to go. Claims that grew stay grown:
 * Kubernetes cannot shrink a claim.
 */
public final class StagingPressure {

    /** {@code grow}: new claim sizes per ordinal; {@code scaleOut}: every pod is full and none can grow. */
    public record Outcome(Map<Integer, Quantity> grow, boolean scaleOut, String summary) {
        public static final Outcome NONE = new Outcome(Map.of(), false, null);

        public boolean any() {
            return summary != null;
        }
    }

    private StagingPressure() {
    }

    /**
     * @param pods the pods to look at (ordinals 0 to pods-1)
     * @param claimBytes a pod's claim request in bytes
     * @param expandable whether a pod's claim can grow (asked only for pods under pressure)
     */
    public static Outcome assess(Autoscaling spec, ImportLoad load, int pods, IntFunction<BigDecimal> claimBytes,
            IntPredicate expandable) {
        BigDecimal max = spec.maxStagingSize == null ? null : Quantity.getAmountInBytes(spec.maxStagingSize);
        Map<Integer, Quantity> grow = new TreeMap<>();
        List<String> said = new ArrayList<>();
        int full = 0;
        for (int i = 0; i < pods; i++) {
            BigDecimal claim = claimBytes.apply(i);
            BigDecimal staged = BigDecimal.valueOf(load.stagedBytes(i));
            if (claim.signum() <= 0 || staged.multiply(BigDecimal.valueOf(100))
                    .compareTo(claim.multiply(BigDecimal.valueOf(spec.watermarkPercent()))) < 0) {
                continue;
            }
            String where = "pod " + i + " has " + mib(staged) + " staged of " + mib(claim);
            if (max != null && claim.compareTo(max) < 0 && expandable.test(i)) {
                BigDecimal to = claim.multiply(BigDecimal.valueOf(2)).max(staged.multiply(BigDecimal.valueOf(2))).min(max);
                Quantity size = new Quantity(wholeMib(to).toPlainString(), "Mi");
                grow.put(i, size);
                said.add(where + ": growing its claim to " + size);
            } else {
                full++;
                said.add(where + (max == null ? ": no maxStagingSize to grow to"
                        : claim.compareTo(max) >= 0 ? ": its claim is at maxStagingSize " + spec.maxStagingSize
                                : ": its StorageClass does not allow expansion"));
            }
        }
        if (said.isEmpty()) {
            return Outcome.NONE;
        }
        boolean scaleOut = pods > 0 && full == pods;
        return new Outcome(grow, scaleOut, String.join("; ", said) + (scaleOut ? "; every pod is full: adding a pod" : ""));
    }

    /**
     * What a summary says is done, without the byte counts that move with every upload: a change of it is news (an Event),
     * a change of the counts alone is not.
     */
    public static String actions(String summary) {
        return summary == null ? null : summary.replaceAll(" has \\S+ staged of \\S+", "");
    }

    /** Whole MiB, rounded up. */
    static String mib(BigDecimal bytes) {
        return wholeMib(bytes).toPlainString() + "Mi";
    }

    private static BigDecimal wholeMib(BigDecimal bytes) {
        return bytes.divide(BigDecimal.valueOf(1L << 20), 0, RoundingMode.CEILING);
    }
}
