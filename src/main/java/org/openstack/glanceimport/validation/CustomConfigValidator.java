package org.openstack.glanceimport.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.openstack.glanceimport.config.GlanceApiConfigRenderer;
import org.openstack.glanceimport.config.Ini;

/** Checks customServiceConfig: it must parse, and must not set what the operator manages (that would break import). */
public final class CustomConfigValidator {

    static final String FIELD = "spec.customServiceConfig";
    /** Same bound as the CRD schema, for API servers that did not enforce it. */
    static final int MAX_LENGTH = 65536;

    private CustomConfigValidator() {
    }

    public static Optional<InputProblem> validate(String custom) {
        return validate(custom, Map.of());
    }

    /** @param storeOptions the options the operator renders in each store's section, by store name */
    public static Optional<InputProblem> validate(String custom, Map<String, Set<String>> storeOptions) {
        return check(FIELD, "", custom, storeOptions, true);
    }

    /**
     * An ini file of customServiceConfigSecrets: the same rules, reported on {@code field} for the Secret and key named; a
     * syntax error gives the line number only, never the line, which may hold a password.
     */
    public static Optional<InputProblem> validateSecretFile(String field, String secret, String key, String custom,
            Map<String, Set<String>> storeOptions) {
        return check(field, "Secret \"" + secret + "\" key \"" + key + "\" ", custom, storeOptions, false);
    }

    private static Optional<InputProblem> check(String field, String what, String custom, Map<String, Set<String>> storeOptions,
            boolean quoteLines) {
        if (custom == null || custom.isBlank()) {
            return Optional.empty();
        }
        if (custom.length() > MAX_LENGTH) {
            return Optional.of(new InputProblem("InvalidCustomConfig", field, what + "is " + custom.length()
                    + " characters long; the limit is " + MAX_LENGTH));
        }
        if (custom.indexOf('\0') >= 0) {
            return Optional.of(new InputProblem("InvalidCustomConfig", field, what + "contains a NUL character"));
        }
        Ini ini;
        try {
            ini = Ini.parse(custom);
        } catch (Ini.IniSyntaxException e) {
            return Optional.of(new InputProblem("InvalidCustomConfig", field, what + "is not valid ini: "
                    + (quoteLines ? e.getMessage() : "line " + e.line())));
        }
        List<String> managed = new ArrayList<>();
        ini.sections().forEach((section, entries) -> {
            Set<String> owned = managedKeys(section);
            Set<String> store = storeOptions.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(section))
                    .map(Map.Entry::getValue).findFirst().orElse(Set.of());
            entries.keySet().stream().filter(k -> owned.contains("*") || owned.contains(k.toLowerCase())
                    || store.contains(k.toLowerCase()) || GlanceApiConfigRenderer.CREDENTIAL_OPTIONS.contains(k.toLowerCase()))
                    .forEach(k -> managed.add("[" + section + "] " + k));
        });
        if (!managed.isEmpty()) {
            return Optional.of(new InputProblem("ManagedKeyInCustomConfig", field,
                    what + "sets options the operator manages: " + String.join(", ", managed)
                            + "; remove them (the operator sets them per pod or from the GlanceImportStaging and Secrets)"));
        }
        return Optional.empty();
    }

    private static Set<String> managedKeys(String section) {
        for (Map.Entry<String, Set<String>> e : GlanceApiConfigRenderer.MANAGED.entrySet()) {
            if (e.getKey().equalsIgnoreCase(section)) {
                return e.getValue();
            }
        }
        return Set.of();
    }
}
