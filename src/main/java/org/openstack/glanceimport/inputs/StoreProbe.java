package org.openstack.glanceimport.inputs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.validation.InputProblem;

/** Asks the object stores a spec names whether they work, once its Secrets are valid (ObjectStoreChecks). */
public interface StoreProbe {

    /** Problems name the store's fields; none when every store answers as it must. */
    List<InputProblem> check(GlanceAPISpec spec, Function<String, Map<String, String>> secretData);

    /** How soon a failed check is asked again: nothing announces that the far end was fixed. */
    Duration failureRecheck();

    /** No store is asked (tools that render without a cluster). */
    StoreProbe NONE = new StoreProbe() {
        @Override
        public List<InputProblem> check(GlanceAPISpec spec, Function<String, Map<String, String>> secretData) {
            return List.of();
        }

        @Override
        public Duration failureRecheck() {
            return Duration.ZERO;
        }
    };
}
