package org.openstack.glanceimport.delivery;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.StrategyDeploymentPermissions;

/** The rules the operator is installed with: the Helm chart's ClusterRoles, and the CSV's permissions for OLM. */
public final class ShippedRbac {

    private ShippedRbac() {
    }

    public static List<PolicyRule> chart() {
        List<PolicyRule> rules = new ArrayList<>();
        Manifests.ofType(Manifests.objects(Manifests.read(Manifests.CHART.resolve("templates/clusterrole.yaml"))), ClusterRole.class)
                .forEach(role -> rules.addAll(role.getRules()));
        return rules;
    }

    /** What a real API server answers a SelfSubjectRulesReview with when the chart's ClusterRoles are bound. */
    public static SelfSubjectRulesReview rulesReview() {
        return new SelfSubjectRulesReviewBuilder().withNewStatus().withIncomplete(false)
                .withResourceRules(chart().stream().map(r -> new ResourceRule(r.getApiGroups(), r.getResourceNames(),
                        r.getResources(), r.getVerbs())).toList())
                .endStatus().build();
    }

    public static List<PolicyRule> csv() {
        List<PolicyRule> rules = new ArrayList<>();
        var strategy = Manifests.csv().getSpec().getInstall().getSpec();
        for (List<StrategyDeploymentPermissions> perms : List.of(strategy.getClusterPermissions(), strategy.getPermissions())) {
            if (perms != null) {
                perms.forEach(p -> rules.addAll(p.getRules()));
            }
        }
        return rules;
    }
}
