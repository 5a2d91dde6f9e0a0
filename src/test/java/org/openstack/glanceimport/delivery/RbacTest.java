package org.openstack.glanceimport.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.ClusterServiceVersion;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.StrategyDeploymentPermissions;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.delivery.ExpectedRbac.Grant;

/**
 * Least privilege, both ways: the bundle's CSV and the Helm chart grant every (group, resource, verb) the reconcilers
 * need, as derived from their code by {@link ExpectedRbac}, and nothing else (no wildcard, no extra role binding).
 */
class RbacTest {

    @Test
    void expectedGrantsCoverWhatTheReconcilersTouch() {
        // a sanity check of the derivation itself against the design: the dependents and informers named in the design
        Set<String> resources = ExpectedRbac.all().stream().map(g -> g.group() + "/" + g.resource()).collect(Collectors.toSet());
        assertEquals(Set.of("/configmaps", "/secrets", "/services", "/persistentvolumeclaims", "apps/statefulsets",
                "policy/poddisruptionbudgets", "batch/jobs", "batch/cronjobs", "/events", "/pods", "/serviceaccounts",
                "rbac.authorization.k8s.io/roles", "rbac.authorization.k8s.io/rolebindings", "security.openshift.io/securitycontextconstraints", "storage.k8s.io/storageclasses", "coordination.k8s.io/leases", "k8s.cni.cncf.io/network-attachment-definitions", "import.glance.openstack.org/glanceapis",
                "route.openshift.io/routes", "route.openshift.io/routes/custom-host",
                "import.glance.openstack.org/glanceapis/status", "import.glance.openstack.org/glanceapis/finalizers",
                "import.glance.openstack.org/glanceimportstagings", "import.glance.openstack.org/glanceimportstagings/status",
                "import.glance.openstack.org/glanceimportstagings/finalizers",
                "keystone.openstack.org/keystoneservices", "keystone.openstack.org/keystoneendpoints"), resources);
        assertTrue(ExpectedRbac.all().contains(new Grant("", "events", "create")));
        assertFalse(ExpectedRbac.all().contains(new Grant("", "events", "delete")), "events are only created");
        // pods: the only ones the operator creates and deletes are stage-host stand-ins (StageHostStandInsDependent)
        assertTrue(ExpectedRbac.all().contains(new Grant("", "pods", "create")), "stage-host stand-ins are created");
        assertFalse(ExpectedRbac.all().contains(new Grant("", "pods", "deletecollection")), "pods are deleted one by one");
        assertFalse(ExpectedRbac.all().contains(new Grant("batch", "jobs", "update")), "db-sync Jobs are never updated");
        // pods: the glance-api pods are watched for the addresses Multus reports (ApiPodsSource)
        assertTrue(ExpectedRbac.all().containsAll(List.of(new Grant("", "pods", "list"), new Grant("", "pods", "watch"))));
        // Multus's NetworkAttachmentDefinitions are only read, one by one: the operator neither caches nor changes them
        assertEquals(Set.of(new Grant("k8s.cni.cncf.io", "network-attachment-definitions", "get")), ExpectedRbac.all().stream()
                .filter(g -> g.group().equals("k8s.cni.cncf.io")).collect(Collectors.toSet()));
        assertFalse(ExpectedRbac.all().contains(new Grant("coordination.k8s.io", "leases", "delete")), "the Lease is only held");
        assertEquals(Set.of(new Grant("security.openshift.io", "securitycontextconstraints", "use")), ExpectedRbac.all().stream()
                .filter(g -> g.group().equals("security.openshift.io")).collect(Collectors.toSet()), "only use, of an SCC");
        // spec.host of a Route needs routes/custom-host create, and nothing more of that subresource
        assertEquals(Set.of(new Grant("route.openshift.io", "routes/custom-host", "create")), ExpectedRbac.all().stream()
                .filter(g -> g.resource().equals("routes/custom-host")).collect(Collectors.toSet()));
        assertFalse(ExpectedRbac.all().contains(new Grant("route.openshift.io", "routes/status", "update")), "a router's job");
    }

    @Test
    void csvGrantsExactlyWhatTheCodeNeeds() {
        ClusterServiceVersion csv = Manifests.csv();
        List<PolicyRule> rules = new ArrayList<>();
        var strategy = csv.getSpec().getInstall().getSpec();
        for (List<StrategyDeploymentPermissions> perms : List.of(strategy.getClusterPermissions(), strategy.getPermissions())) {
            if (perms != null) {
                perms.forEach(p -> {
                    assertEquals("glance-import-operator", p.getServiceAccountName());
                    rules.addAll(p.getRules());
                });
            }
        }
        assertNoWildcards(rules);
        assertEquals(ExpectedRbac.all(), ExpectedRbac.expand(rules));
    }

    @Test
    void chartGrantsExactlyWhatEachReconcilerNeeds() {
        List<HasMetadata> objects = HelmRender.template("glance-ops", Map.of());
        Map<String, ClusterRole> roles = Manifests.ofType(objects, ClusterRole.class).stream()
                .collect(Collectors.toMap(r -> r.getMetadata().getName(), r -> r));
        assertEquals(ExpectedRbac.RECONCILERS.size(), roles.size(), "one ClusterRole per reconciler: " + roles.keySet());
        for (var reconciler : ExpectedRbac.RECONCILERS) {
            ClusterRole role = roles.get(ExpectedRbac.controllerName(reconciler) + "-cluster-role");
            assertNoWildcards(role.getRules());
            assertEquals(ExpectedRbac.forReconciler(reconciler), ExpectedRbac.expand(role.getRules()), reconciler.getSimpleName());
        }
        List<ClusterRoleBinding> bindings = Manifests.ofType(objects, ClusterRoleBinding.class);
        assertEquals(roles.keySet(), bindings.stream().map(b -> b.getRoleRef().getName()).collect(Collectors.toSet()));
        bindings.forEach(b -> b.getSubjects().forEach(s -> {
            assertEquals("ServiceAccount", s.getKind());
            assertEquals("glance-import-operator", s.getName());
            assertEquals("glance-ops", s.getNamespace(), "bound to the release namespace");
        }));
        assertTrue(Manifests.ofType(objects, Role.class).isEmpty());
        assertTrue(Manifests.ofType(objects, RoleBinding.class).isEmpty(), "no binding to the built-in view role or others");
    }

    /** The operator may grant use of nonroot-v2 because it holds it, and it holds it of that SCC alone. */
    @Test
    void theSccGrantIsForNonrootV2Only() {
        for (List<PolicyRule> rules : List.of(ShippedRbac.chart(), ShippedRbac.csv())) {
            List<PolicyRule> scc = rules.stream().filter(r -> r.getApiGroups().contains("security.openshift.io")).toList();
            assertEquals(1, scc.size(), scc.toString());
            assertEquals(List.of("nonroot-v2"), scc.get(0).getResourceNames());
            assertEquals(List.of("use"), scc.get(0).getVerbs());
        }
    }

    private static void assertNoWildcards(List<PolicyRule> rules) {
        rules.forEach(r -> {
            assertFalse(r.getVerbs().contains("*"), r.toString());
            assertFalse(r.getResources().contains("*"), r.toString());
            assertFalse(r.getApiGroups().contains("*"), r.toString());
        });
    }
}
