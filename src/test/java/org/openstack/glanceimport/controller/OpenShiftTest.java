package org.openstack.glanceimport.controller;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.delivery.SccNonrootV2;
import org.openstack.glanceimport.support.ApiRequests;
import org.openstack.glanceimport.support.OpenShiftApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.kube.AsUser;
import org.openstack.glanceimport.support.kube.StatefulSetController;

/**
 * On an API server that serves SecurityContextConstraints (OpenShift), every pod of a GlanceAPI runs under its own
 * ServiceAccount, bound to a Role that may use nonroot-v2, and each pod spec is one nonroot-v2 admits. Without that API
 * none of these objects exists (GlanceApiReconcilerTest).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = OpenShiftApiServer.class)
class OpenShiftTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    @AsUser
    KubernetesClient client;

    @KubernetesTestServer
    KubernetesServer server;

    @Test
    void podsRunUnderAServiceAccountAllowedNonrootV2() {
        String ns = "ocp";
        Samples.apply(client, ns, "minimal.yaml");
        client.resources(GlanceAPI.class).inNamespace(ns).withName("glance").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"imageCache\":{\"size\":\"5Gi\"},\"databasePurge\":{\"schedule\":\"0 1 * * *\"}}}");
        await().atMost(TIMEOUT).until(() -> client.rbac().roleBindings().inNamespace(ns).withName("glance-nonroot-v2").get() != null
                && client.apps().statefulSets().inNamespace(ns).withName("glance").get() != null
                && client.batch().v1().cronjobs().inNamespace(ns).list().getItems().size() == 2
                && !client.batch().v1().jobs().inNamespace(ns).list().getItems().isEmpty());

        ServiceAccount sa = client.serviceAccounts().inNamespace(ns).withName("glance").get();
        assertEquals(Boolean.FALSE, sa.getAutomountServiceAccountToken());
        Role role = client.rbac().roles().inNamespace(ns).withName("glance-nonroot-v2").get();
        PolicyRule rule = role.getRules().get(0);
        assertEquals(1, role.getRules().size());
        assertEquals(List.of("security.openshift.io"), rule.getApiGroups());
        assertEquals(List.of("securitycontextconstraints"), rule.getResources());
        assertEquals(List.of("nonroot-v2"), rule.getResourceNames());
        assertEquals(List.of("use"), rule.getVerbs());
        RoleBinding binding = client.rbac().roleBindings().inNamespace(ns).withName("glance-nonroot-v2").get();
        assertEquals("Role", binding.getRoleRef().getKind());
        assertEquals("glance-nonroot-v2", binding.getRoleRef().getName());
        assertEquals("ServiceAccount", binding.getSubjects().get(0).getKind());
        assertEquals("glance", binding.getSubjects().get(0).getName());
        assertEquals(ns, binding.getSubjects().get(0).getNamespace());
        for (var owned : List.of(sa, role, binding)) {
            assertEquals("GlanceAPI", owned.getMetadata().getOwnerReferences().get(0).getKind(), "deleted with the GlanceAPI");
        }

        Map<String, PodSpec> pods = new LinkedHashMap<>();
        pods.put("StatefulSet glance", client.apps().statefulSets().inNamespace(ns).withName("glance").get().getSpec().getTemplate().getSpec());
        client.batch().v1().jobs().inNamespace(ns).list().getItems()
                .forEach(j -> pods.put("Job " + j.getMetadata().getName(), j.getSpec().getTemplate().getSpec()));
        client.batch().v1().cronjobs().inNamespace(ns).list().getItems().forEach(c -> pods.put("CronJob " + c.getMetadata().getName(),
                c.getSpec().getJobTemplate().getSpec().getTemplate().getSpec()));
        assertEquals(4, pods.size(), pods.keySet().toString());
        pods.forEach((what, pod) -> {
            assertEquals("glance", pod.getServiceAccountName(), what);
            assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), what + ": still no API token in the pod");
            assertEquals(List.of(), SccNonrootV2.refusals(pod), what + " under nonroot-v2");
            // why not the default SCC: restricted-v2 assigns a uid of the namespace's range, and glance's is fixed
            assertEquals(42415L, pod.getSecurityContext().getRunAsUser(), what);
        });

        // at steady state a full reconcile rewrites none of them
        var requests = new ApiRequests(server.getKubernetesMockServer());
        StatefulSetController.markReady(client, ns, "glance");
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(300)).until(() -> requests.drain().stream()
                .noneMatch(ApiRequests::isWrite));
        client.secrets().inNamespace(ns).withName("glance-db").edit(s -> {
            s.getMetadata().setLabels(Map.of("touched", "yes"));
            return s;
        });
        await().during(Duration.ofSeconds(2)).atMost(TIMEOUT).pollInterval(Duration.ofMillis(300)).until(() -> true);
        List<String> writes = requests.drain().stream().filter(ApiRequests::isWrite)
                .map(ApiRequests::describe)
                .filter(w -> w.contains("/serviceaccounts") || w.contains("/roles") || w.contains("/rolebindings")).toList();
        assertEquals(List.of(), writes);
    }

    @Test
    void theAdmissionCheckRefusesWhatNonrootV2Refuses() {
        PodSpec root = new PodSpecBuilder().addNewContainer().withName("c").withNewSecurityContext()
                .withRunAsUser(0L).withAllowPrivilegeEscalation(true).endSecurityContext().endContainer()
                .addNewVolume().withName("h").withNewHostPath().withPath("/").endHostPath().endVolume().build();
        List<String> refusals = SccNonrootV2.refusals(root);
        assertTrue(refusals.contains("c: may run as root (runAsUser MustRunAsNonRoot)"), refusals.toString());
        assertTrue(refusals.contains("c: allowPrivilegeEscalation is not false"), refusals.toString());
        assertTrue(refusals.contains("c: does not drop ALL capabilities"), refusals.toString());
        assertTrue(refusals.contains("volume h: type hostPath"), refusals.toString());
        assertFalse(refusals.isEmpty());
    }
}
