package org.openstack.glanceimport.config;

import java.util.Map;

import org.openstack.glanceimport.api.GlanceImportStaging;

/**
 * Everything one reconcile of a GlanceAPI rendered, computed once and shared with the dependents through the workflow
 * context, so the ConfigMap, the Secret and the StatefulSet's hash always come from the same inputs.
 */
public record RenderedConfig(GlanceImportStaging staging, Map<String, String> configFiles, Map<String, String> secretFiles,
        String configHash, String image, String dbSyncHash, String tlsNotAfter) {


    /** Never the secret files' content, should this end up in a log line. */
    @Override
    public String toString() {
        return "RenderedConfig[configHash=" + configHash + ", image=" + image + ", files=" + configFiles.keySet() + ", secretFiles="
                + secretFiles.keySet() + "]";
    }
}
