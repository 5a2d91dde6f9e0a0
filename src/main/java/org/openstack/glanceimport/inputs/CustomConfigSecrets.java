package org.openstack.glanceimport.inputs;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.Secret;

import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.validation.CustomConfigValidator;
import org.openstack.glanceimport.validation.InputProblem;
import org.openstack.glanceimport.validation.SecretInputs;

/**
 * spec.customServiceConfigSecrets: ini files kept in Secrets (a transport URL, a memcache password), copied into the
 * operator's Secret of the GlanceAPI and read by Glance after customServiceConfig, the i-th Secret's keys as
 * {@code 4<i>-<key>.conf}. Copied rather than mounted: they land in the config hash, so a change rolls the pods as any
 * other configuration does, and Glance reads them with the rest of its configuration.
 */
public final class CustomConfigSecrets {

    static final String FIELD = "spec.customServiceConfigSecrets";
    static final String SUFFIX = ".conf";

    private CustomConfigSecrets() {
    }

    public static List<String> names(GlanceAPISpec spec) {
        return spec.customServiceConfigSecrets == null ? List.of() : spec.customServiceConfigSecrets;
    }

    /**
     * The files to add to the operator's Secret, by file name; problems (a missing Secret, a key that is no .conf file, an
     * option the operator manages) go to {@code secrets}, naming the Secret and key but never a value.
     */
    public static Map<String, String> read(GlanceAPISpec spec, SecretInputs secrets, Function<String, Secret> lookup,
            Map<String, Set<String>> storeOptions) {
        Map<String, String> files = new TreeMap<>();
        List<String> names = names(spec);
        for (int i = 0; i < names.size(); i++) {
            String field = FIELD + "[" + i + "]";
            String name = names.get(i);
            int index = i;
            secrets.read(field, name, lookup).ifPresent(data -> new TreeMap<>(data).forEach((key, content) -> {
                if (!key.endsWith(SUFFIX) || key.length() == SUFFIX.length()) {
                    secrets.problems().add(new InputProblem("InvalidCustomConfig", field, "Secret \"" + name + "\" key \"" + key
                            + "\" is not an ini file: every key of a customServiceConfigSecrets Secret must end in .conf"));
                    return;
                }
                CustomConfigValidator.validateSecretFile(field, name, key, content, storeOptions).ifPresent(secrets.problems()::add);
                String file = fileName(index, key);
                if (files.putIfAbsent(file, content) != null) {
                    secrets.problems().add(new InputProblem("InvalidCustomConfig", field, "Secret \"" + name + "\" has two keys "
                            + "that make the same file name " + file + "; rename one of them"));
                }
            }));
        }
        return files;
    }

    /** After 20-custom.conf and 30-secrets.conf: these may override both. Lower case letters, digits and dashes only. */
    static String fileName(int index, String key) {
        String stem = key.substring(0, key.length() - SUFFIX.length()).toLowerCase().replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        return "4" + index + "-" + (stem.isEmpty() ? "custom" : stem) + SUFFIX;
    }
}
