package org.openstack.glanceimport.support.kube;

import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The reconcilers in-process against {@link RealApiServer}, as production runs them: server-side apply on (a build-time
 * setting, so this profile re-augments the application), the CRDs installed by the chart and not by the operator, and
 * the operator authenticated as its ServiceAccount, so the server enforces the chart's RBAC. The mock's stand-in Job
 * controller is off: the real one runs. Leader election stays off here; the packaged jar covers it.
 */
public class RealApiServerProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.operator-sdk.enable-ssa", "true",
                "quarkus.operator-sdk.crd.apply", "false",
                JobController.ENABLED, "false");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Server.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    /** Points the operator's client at the shared real API server, with the ServiceAccount's token. */
    public static class Server implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            var config = RealApiServer.shared().operatorConfig();
            return Map.of("quarkus.kubernetes-client.api-server-url", config.getMasterUrl(),
                    "quarkus.kubernetes-client.token", config.getOauthToken(),
                    "quarkus.kubernetes-client.ca-cert-data", config.getCaCertData(),
                    "quarkus.kubernetes-client.trust-certs", "false",
                    "quarkus.kubernetes-client.namespace", RealApiServer.OPERATOR_NAMESPACE);
        }

        @Override
        public void stop() {
            // shared by every real-API test class of this JVM; stopped when it ends
        }
    }
}
