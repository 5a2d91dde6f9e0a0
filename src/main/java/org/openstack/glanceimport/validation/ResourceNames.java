package org.openstack.glanceimport.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceImportStaging;

/**
 * The CRDs' name rules, checked again by the operator: API servers that skip CEL (and the mock server of the tests) let
 * such names through, and then nothing is created rather than half of it.
 */
public final class ResourceNames {

    private static final Pattern GLANCE_API_NAME = Pattern.compile(GlanceAPI.NAME_PATTERN);

    private ResourceNames() {
    }

    public static List<InputProblem> glanceApi(String name) {
        List<InputProblem> problems = new ArrayList<>();
        if (name.length() > GlanceAPI.MAX_NAME_LENGTH) {
            problems.add(new InputProblem("NameTooLong", "metadata.name", GlanceAPI.NAME_LENGTH_MESSAGE + " (\"" + name + "\" has "
                    + name.length() + ")"));
        }
        if (!GLANCE_API_NAME.matcher(name).matches()) {
            problems.add(new InputProblem("InvalidName", "metadata.name", GlanceAPI.NAME_FORMAT_MESSAGE));
        }
        return problems;
    }

    public static List<InputProblem> staging(String name) {
        return name.length() <= GlanceImportStaging.MAX_NAME_LENGTH ? List.of()
                : List.of(new InputProblem("NameTooLong", "metadata.name", GlanceImportStaging.NAME_LENGTH_MESSAGE));
    }
}
