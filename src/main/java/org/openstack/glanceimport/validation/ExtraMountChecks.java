package org.openstack.glanceimport.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.Secret;

import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.mounts.ExtraMount;

/**
 * spec.extraMounts that the CRD's rules say the same of, for servers that did not evaluate them, and what they cannot
 * see: a Secret that does not exist (the pod would wait in ContainerCreating without a word on the GlanceAPI), or one
 * without the subPath key.
 */
public final class ExtraMountChecks {

    private ExtraMountChecks() {
    }

    public static List<InputProblem> check(GlanceAPISpec spec, SecretInputs secrets, Function<String, Secret> lookup) {
        List<InputProblem> problems = new ArrayList<>();
        List<ExtraMount> mounts = spec.extraMountsOrNone();
        for (int i = 0; i < mounts.size(); i++) {
            ExtraMount m = mounts.get(i);
            String field = "spec.extraMounts[" + i + "]";
            if (m.mountPath == null || m.coversReserved()) {
                problems.add(new InputProblem("InvalidExtraMount", field + ".mountPath", "mountPath " + m.mountPath
                        + " must not be, hold or lie under a path the operator mounts: " + ExtraMount.reserved()));
            }
            if ((m.secretName == null) == (m.configMapName == null)) {
                problems.add(new InputProblem("InvalidExtraMount", field, "names either secretName or configMapName"));
            }
            if (m.secretName != null) {
                secrets.read(field + ".secretName", m.secretName, lookup).ifPresent(data -> {
                    if (m.subPath != null && !data.containsKey(m.subPath)) {
                        problems.add(new InputProblem("InvalidExtraMount", field + ".subPath", "Secret \"" + m.secretName
                                + "\" has no key \"" + m.subPath + "\""));
                    }
                });
            }
        }
        return problems;
    }
}
