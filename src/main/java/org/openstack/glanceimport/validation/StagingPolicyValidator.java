package org.openstack.glanceimport.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.Quantity;

import org.openstack.glanceimport.api.GlanceImportStagingSpec;
import org.openstack.glanceimport.api.staging.AccessMode;

/**
 * What the CRD schema cannot say about a staging policy, or what an API server without the schema (or an older one
 * without CEL) would let through.
 */
public final class StagingPolicyValidator {

    private static final Pattern PROPERTY_KEY = Pattern.compile("^[A-Za-z0-9_.\\-]{1,255}$");
    private static final Pattern LIST_ITEM = Pattern.compile("^[A-Za-z0-9_.:\\-\\[\\]*]{1,255}$");

    private StagingPolicyValidator() {
    }

    public static List<InputProblem> validate(GlanceImportStagingSpec spec) {
        List<InputProblem> problems = new ArrayList<>();
        Quantity size = spec.storage.size;
        try {
            if (size == null || Quantity.getAmountInBytes(size).signum() <= 0) {
                problems.add(new InputProblem("InvalidSize", "spec.storage.size", "must be a positive quantity such as 10Gi"));
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            problems.add(new InputProblem("InvalidSize", "spec.storage.size", "\"" + size + "\" is not a quantity such as 10Gi"));
        }
        if (spec.storage.accessMode == AccessMode.ReadWriteMany && !Boolean.TRUE.equals(spec.storage.allowShared)) {
            problems.add(new InputProblem("SharedStagingNotAllowed", "spec.storage.accessMode",
                    "ReadWriteMany requires spec.storage.allowShared: true"));
        }
        if (spec.importMethods == null || spec.importMethods.isEmpty()) {
            problems.add(new InputProblem("NoImportMethods", "spec.importMethods", "must list at least one import method"));
        }
        if (spec.injectMetadata != null) {
            for (Map.Entry<String, String> e : spec.injectMetadata.properties.entrySet()) {
                // the option is a comma-separated list of key:value pairs
                if (!PROPERTY_KEY.matcher(e.getKey()).matches()) {
                    problems.add(new InputProblem("InvalidProperty", "spec.injectMetadata.properties",
                            "key \"" + e.getKey() + "\" may only contain letters, digits, '_', '.', '-'"));
                }
                String v = e.getValue();
                if (v == null || v.isEmpty() || v.length() > 255 || v.chars().anyMatch(c -> c == ',' || c == '\n' || c == '\r' || c < 0x20)) {
                    problems.add(new InputProblem("InvalidProperty", "spec.injectMetadata.properties." + e.getKey(),
                            "value must be 1-255 characters without commas or control characters"));
                }
            }
            checkList(problems, "spec.injectMetadata.ignoredRoles", spec.injectMetadata.ignoredRoles);
        }
        checkList(problems, "spec.webDownload.allowedSchemes", spec.webDownload.allowedSchemes);
        checkList(problems, "spec.webDownload.disallowedHosts", spec.webDownload.disallowedHosts);
        return problems;
    }

    private static void checkList(List<InputProblem> problems, String field, List<String> items) {
        for (String item : items) {
            if (item == null || !LIST_ITEM.matcher(item).matches()) {
                problems.add(new InputProblem("InvalidListItem", field,
                        "item \"" + printable(item) + "\" may only contain letters, digits and . _ : - [ ] *"));
            }
        }
    }

    /** Echoes user input into messages without its control characters. */
    static String printable(String s) {
        return s == null ? "null" : s.replaceAll("\\p{Cntrl}", "?");
    }
}
