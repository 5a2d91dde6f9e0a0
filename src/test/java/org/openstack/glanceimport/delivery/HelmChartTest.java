package org.openstack.glanceimport.delivery;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.packaging.JvmOptions;
import org.openstack.glanceimport.pod.OperandImage;
import org.openstack.glanceimport.tools.Canonical;

/** The chart in helm/, checked with the real helm (shipped by helm-java): lint, and what `helm template` renders. */
class HelmChartTest {

    @Test
    void lintPasses() {
        LintResult lint = new Helm(Manifests.CHART).lint().strict().call();
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
    }

    @Test
    void defaultValuesRenderTheOperator() {
        List<HasMetadata> objects = HelmRender.template("openstack", Map.of());
        // a ClusterRole and binding per controller: glanceapi, glanceimportstaging, glanceapi-keystone
        assertEquals(Map.of("ServiceAccount", 1L, "ClusterRole", 3L, "ClusterRoleBinding", 3L, "Service", 1L, "Deployment", 1L),
                objects.stream().collect(Collectors.groupingBy(HasMetadata::getKind, Collectors.counting())));
        assertEquals("openstack", Manifests.ofType(objects, ServiceAccount.class).get(0).getMetadata().getNamespace());
        Deployment deployment = Manifests.ofType(objects, Deployment.class).get(0);
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertEquals("glance-import-operator", pod.getServiceAccountName());
        assertEquals(2, deployment.getSpec().getReplicas(), "two operator pods: one leads, one stands by");
        assertEquals("RollingUpdate", deployment.getSpec().getStrategy().getType(), "leader election: a new pod may start before the old one stops");
        Container c = pod.getContainers().get(0);
        assertEquals(Release.IMAGE + ":" + Release.version(), c.getImage());
        assertEquals("IfNotPresent", c.getImagePullPolicy());
        Map<String, String> env = env(c);
        assertEquals(OperandImage.DEFAULT, env.get(OperandImage.ENV));
        assertEquals("JOSDK_ALL_NAMESPACES", env.get("QUARKUS_OPERATOR_SDK_CONTROLLERS_GLANCEAPI_NAMESPACES"));
        assertEquals("JOSDK_ALL_NAMESPACES", env.get("QUARKUS_OPERATOR_SDK_CONTROLLERS_GLANCEIMPORTSTAGING_NAMESPACES"));
        assertEquals("INFO", env.get("QUARKUS_LOG_LEVEL"));
        // the JVM options measured by `make measure`, the same in both installers; one collector only (two would stop
        // the JVM), and the image's own two settings survive the override of JAVA_OPTS_APPEND
        List<String> jvm = JvmOptions.of(c);
        assertEquals(JvmOptions.of(Manifests.csv().getSpec().getInstall().getSpec().getDeployments().get(0).getSpec().getTemplate()
                .getSpec().getContainers().get(0)), jvm, "the CSV runs the JVM as the chart does");
        assertEquals(List.of("-XX:+UseSerialGC"), jvm.stream().filter(o -> o.matches("-XX:\\+Use\\w+GC")).toList());
        assertTrue(jvm.contains("-XX:NewRatio=3"), "a young generation of a quarter of the heap: " + jvm);
        assertTrue(jvm.containsAll(List.of("-XX:MaxRAMPercentage=50.0", "-XX:TieredStopAtLevel=1", JvmOptions.CACHE_OPTION, "-Dquarkus.http.host=0.0.0.0",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager")), jvm.toString());
        assertEquals(new Quantity("512Mi"), c.getResources().getLimits().get("memory"));
        assertEquals(new Quantity("128Mi"), c.getResources().getRequests().get("memory"));
        assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/q/health/started", c.getStartupProbe().getHttpGet().getPath());
        assertEquals(8080, c.getLivenessProbe().getHttpGet().getPort().getIntVal());
        Restricted.assertRestricted(pod);
    }

    @Test
    void nonDefaultValuesReachTheDeployment() {
        List<HasMetadata> objects = HelmRender.template("glance-ops", Map.of(
                "app.image", "registry.example.test/glance-import-operator:0.1.0-native",
                "app.replicas", "3",
                "app.imagePullPolicy", "Always",
                "app.resources.limits.memory", "96Mi",
                "app.resources.requests.memory", "48Mi",
                "app.resources.requests.cpu", "20m",
                "app.envs.QUARKUS_LOG_LEVEL", "DEBUG",
                "app.envs.RELATED_IMAGE_GLANCE_API", "mirror.example.test/glance-api@sha256:0123",
                "app.envs.QUARKUS_OPERATOR_SDK_CONTROLLERS_GLANCEAPI_NAMESPACES", "openstack,glance-test",
                "app.envs.QUARKUS_OPERATOR_SDK_CONTROLLERS_GLANCEIMPORTSTAGING_NAMESPACES", "openstack,glance-test"));
        assertEquals(3, Manifests.ofType(objects, Deployment.class).get(0).getSpec().getReplicas());
        Container c = Manifests.ofType(objects, Deployment.class).get(0).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("registry.example.test/glance-import-operator:0.1.0-native", c.getImage());
        assertEquals("Always", c.getImagePullPolicy());
        assertEquals(new Quantity("96Mi"), c.getResources().getLimits().get("memory"));
        assertEquals(new Quantity("48Mi"), c.getResources().getRequests().get("memory"));
        assertEquals(new Quantity("20m"), c.getResources().getRequests().get("cpu"));
        Map<String, String> env = env(c);
        assertEquals("DEBUG", env.get("QUARKUS_LOG_LEVEL"));
        assertEquals("mirror.example.test/glance-api@sha256:0123", env.get(OperandImage.ENV));
        assertEquals("openstack,glance-test", env.get("QUARKUS_OPERATOR_SDK_CONTROLLERS_GLANCEAPI_NAMESPACES"));
        assertEquals("openstack,glance-test", env.get("QUARKUS_OPERATOR_SDK_CONTROLLERS_GLANCEIMPORTSTAGING_NAMESPACES"));
        assertEquals("glance-ops", Manifests.ofType(objects, ServiceAccount.class).get(0).getMetadata().getNamespace());
    }

    @Test
    void chartShipsTheCrdsAndNotes() {
        assertEquals(2, Manifests.files(Manifests.CHART.resolve("crds"), ".yml").size());
        String notes = Manifests.read(Manifests.CHART.resolve("templates/NOTES.txt"));
        assertTrue(notes.contains("kubectl apply --server-side --force-conflicts -f crds/"), "upgrade note for CRDs");
        String schema = Manifests.read(Manifests.CHART.resolve("values.schema.json"));
        assertTrue(schema.contains("Pull policy of the operator image"), "values are documented in values.schema.json");
    }

    @Test
    void templatesAreInCanonicalForm() {
        // `make helm` canonicalizes the copied templates; a template not in that form was not refreshed with it
        for (var f : Manifests.files(Manifests.CHART.resolve("templates"), ".yaml")) {
            String text = Manifests.read(f);
            assertEquals(Canonical.yaml(text), text, f + ": run `make helm`");
        }
    }

    private static Map<String, String> env(Container c) {
        return c.getEnv().stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }
}
