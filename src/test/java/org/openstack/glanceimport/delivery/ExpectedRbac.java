package org.openstack.glanceimport.delivery;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.quarkiverse.operatorsdk.annotations.RBACRule;

import org.openstack.glanceimport.controller.GlanceApiReconciler;
import org.openstack.glanceimport.controller.GlanceImportStagingReconciler;
import org.openstack.glanceimport.controller.KeystoneDeregistrationReconciler;

/**
 * The permissions the operator needs, derived from its code rather than copied from the generated manifests: each
 * reconciler's primary resource, the resource type and the Creator/Updater/Deleter capabilities of each workflow
 * dependent, and the @RBACRule annotations declaring what the code reads or writes with plain client calls or its own
 * informers (Secrets, the other CR, Events).
 */
final class ExpectedRbac {

    /** One (apiGroup, resource, verb) grant: rules are compared after expanding them into these. */
    record Grant(String group, String resource, String verb) implements Comparable<Grant> {
        @Override
        public int compareTo(Grant o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return (group.isEmpty() ? "core" : group) + "/" + resource + ":" + verb;
        }
    }

    static final List<Class<? extends Reconciler<?>>> RECONCILERS = List.of(GlanceApiReconciler.class,
            GlanceImportStagingReconciler.class, KeystoneDeregistrationReconciler.class);

    /**
     * What QOSDK grants on a primary resource (JOSDK reads and watches it, patches status, and may add or remove a
     * finalizer): not derived, this is the extension's fixed policy.
     */
    static final List<String> PRIMARY_VERBS = List.of("get", "list", "watch", "patch", "update", "create", "delete");
    static final List<String> READ = List.of("get", "list", "watch");

    private ExpectedRbac() {
    }

    static String controllerName(Class<?> reconciler) {
        return reconciler.getAnnotation(ControllerConfiguration.class).name();
    }

    static Set<Grant> forReconciler(Class<? extends Reconciler<?>> reconciler) {
        Set<Grant> grants = new TreeSet<>();
        Class<? extends HasMetadata> primary = typeArgument(reconciler, Reconciler.class);
        for (String sub : List.of("", "/status", "/finalizers")) {
            PRIMARY_VERBS.forEach(v -> grants.add(new Grant(HasMetadata.getGroup(primary), HasMetadata.getPlural(primary) + sub, v)));
        }
        Workflow workflow = reconciler.getAnnotation(Workflow.class);
        for (Dependent dependent : workflow == null ? new Dependent[0] : workflow.dependents()) {
            Class<?> type = dependent.type();
            Class<? extends HasMetadata> resource = typeArgument(type, KubernetesDependentResource.class);
            String group = HasMetadata.getGroup(resource);
            String plural = HasMetadata.getPlural(resource);
            READ.forEach(v -> grants.add(new Grant(group, plural, v)));
            if (Creator.class.isAssignableFrom(type)) {
                grants.add(new Grant(group, plural, "create"));
                // with server-side apply (the default outside tests) a create is a PATCH
                grants.add(new Grant(group, plural, "patch"));
            }
            if (Updater.class.isAssignableFrom(type)) {
                grants.add(new Grant(group, plural, "patch"));
                grants.add(new Grant(group, plural, "update"));
            }
            if (Deleter.class.isAssignableFrom(type)) {
                grants.add(new Grant(group, plural, "delete"));
            }
        }
        for (RBACRule rule : reconciler.getAnnotationsByType(RBACRule.class)) {
            grants.addAll(expand(List.of(rule.apiGroups()), List.of(rule.resources()), List.of(rule.verbs())));
        }
        return grants;
    }

    static Set<Grant> all() {
        Set<Grant> grants = new TreeSet<>();
        RECONCILERS.forEach(r -> grants.addAll(forReconciler(r)));
        return grants;
    }

    static Set<Grant> expand(List<PolicyRule> rules) {
        Set<Grant> grants = new TreeSet<>();
        rules.forEach(r -> grants.addAll(expand(r.getApiGroups(), r.getResources(), r.getVerbs())));
        return grants;
    }

    private static Set<Grant> expand(List<String> groups, List<String> resources, List<String> verbs) {
        Set<Grant> grants = new TreeSet<>();
        for (String g : groups) {
            for (String r : resources) {
                for (String v : verbs) {
                    grants.add(new Grant(g, r, v));
                }
            }
        }
        return grants;
    }

    /** The class given to {@code target}'s first type parameter somewhere up {@code type}'s hierarchy. */
    @SuppressWarnings("unchecked")
    static <T> Class<T> typeArgument(Class<?> type, Class<?> target) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Type t : concat(c.getGenericSuperclass(), c.getGenericInterfaces())) {
                if (t instanceof ParameterizedType p && target.isAssignableFrom((Class<?>) p.getRawType())
                        && p.getActualTypeArguments()[0] instanceof Class<?> arg && HasMetadata.class.isAssignableFrom(arg)) {
                    return (Class<T>) arg;
                }
            }
        }
        throw new IllegalArgumentException("no " + target.getSimpleName() + " type argument on " + type);
    }

    private static List<Type> concat(Type superclass, Type[] interfaces) {
        List<Type> all = new java.util.ArrayList<>(List.of(interfaces));
        if (superclass != null) {
            all.add(0, superclass);
        }
        return all;
    }
}
