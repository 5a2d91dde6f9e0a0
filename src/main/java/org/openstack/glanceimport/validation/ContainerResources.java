package org.openstack.glanceimport.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * Requests and limits are free strings in the CRD (the schema of a quantity is int-or-string), so a typo would only be
 * refused by the API server when the StatefulSet is written. Checked here, against the API server's own grammar.
 */
public final class ContainerResources {

    /** Kubernetes' quantity grammar: a decimal number and an optional binary, decimal or exponent suffix. */
    private static final Pattern QUANTITY = Pattern.compile("^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?[0-9]+))?$");

    private ContainerResources() {
    }

    public static List<InputProblem> check(String field, ResourceRequirements resources) {
        List<InputProblem> problems = new ArrayList<>();
        if (resources != null) {
            check(field + ".requests", resources.getRequests(), problems);
            check(field + ".limits", resources.getLimits(), problems);
        }
        return problems;
    }

    private static void check(String field, Map<String, Quantity> quantities, List<InputProblem> problems) {
        if (quantities == null) {
            return;
        }
        quantities.forEach((resource, quantity) -> {
            String text = quantity == null ? "" : quantity.toString();
            if (!QUANTITY.matcher(text).matches()) {
                problems.add(new InputProblem("InvalidResources", field + "." + resource, "\"" + text
                        + "\" is not a quantity; write it as 500m, 2, 512Mi or 1Gi"));
            }
        });
    }
}
