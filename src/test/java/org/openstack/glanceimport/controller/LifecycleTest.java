package org.openstack.glanceimport.controller;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceImportStaging;
import org.openstack.glanceimport.api.staging.RetentionPolicy;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.support.RecordingApiServer;
import org.openstack.glanceimport.support.Samples;
import org.openstack.glanceimport.support.StatusConditions;
import org.openstack.glanceimport.support.kube.AsUser;
import org.openstack.glanceimport.support.kube.JobController;
import org.openstack.glanceimport.support.kube.StatefulSetController;

/** Day-2 rules on the mock API server: scale-down retention, expansion, config rollout, deletion. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
class LifecycleTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    @AsUser
    KubernetesClient client;

    /** minimal.yaml in its own namespace, with the policy edited first. */
    private void setUp(String ns, UnaryOperator<GlanceImportStaging> policy, int replicas) {
        for (var item : Samples.load(client, "minimal.yaml")) {
            item.getMetadata().setNamespace(ns);
            if ("GlanceImportStaging".equals(item.getKind())) {
                client.resource(policy.apply(Samples.staging(client, "minimal.yaml"))).inNamespace(ns).create();
            } else if ("GlanceAPI".equals(item.getKind())) {
                // the images on a claim every pod mounts: a pod-local file store allows one pod
                GlanceAPI api = Samples.onSharedClaim(client, ns, Samples.glanceApi(client, "minimal.yaml"));
                api.getSpec().replicas = replicas;
                // these tests are about claims; the hold for staged images has its own tests (and the real one in e2e)
                api.getSpec().scaleDownHoldSeconds = 0;
                client.resource(api).inNamespace(ns).create();
            } else {
                client.resource(item).inNamespace(ns).create();
            }
        }
        await().atMost(TIMEOUT).until(() -> {
            var now = sts(ns);
            return now != null && now.getSpec().getReplicas() == replicas;
        });
        StatefulSetController.markReady(client, ns, "glance");
    }

    private StatefulSet sts(String ns) {
        return client.apps().statefulSets().inNamespace(ns).withName("glance").get();
    }

    /** The operator's claims (the shared file store's claim is the user's). */
    private Map<String, PersistentVolumeClaim> claims(String ns) {
        return client.persistentVolumeClaims().inNamespace(ns).withLabelSelector(Names.MANAGED_BY_SELECTOR).list().getItems().stream()
                .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c));
    }

    /** A merge patch, as `kubectl patch --type merge` sends: no resourceVersion, so no conflict with status writes. */
    private void scale(String ns, int replicas) {
        client.resources(GlanceAPI.class).inNamespace(ns).withName("glance")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + replicas + "}}");
        await().atMost(TIMEOUT).until(() -> sts(ns).getSpec().getReplicas() == replicas);
    }

    private void patchPolicy(String ns, String specJson) {
        client.resources(GlanceImportStaging.class).inNamespace(ns).withName("default")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":" + specJson + "}");
    }

    private void runningPod(String ns, String name) {
        client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().addNewContainer().withName("glance-api").withImage("x").endContainer().endSpec().build()).create();
    }

    private GlanceAPI api(String ns) {
        return client.resources(GlanceAPI.class).inNamespace(ns).withName("glance").get();
    }

    private Condition condition(String ns, String type) {
        return StatusConditions.find(client.resources(GlanceAPI.class).inNamespace(ns).withName("glance").get(), type);
    }

    private static GlanceImportStaging whenScaled(GlanceImportStaging p, RetentionPolicy policy) {
        p.getSpec().retention.whenScaled = policy;
        return p;
    }

    @Test
    void scaleDownRetainKeepsClaimsAndScaleUpReusesThem() {
        String ns = "retain";
        setUp(ns, p -> whenScaled(p, RetentionPolicy.Retain), 3);
        await().atMost(TIMEOUT).until(() -> claims(ns).size() == 3);
        Map<String, String> uids = claims(ns).values().stream()
                .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c.getMetadata().getUid()));

        scale(ns, 1);
        StatefulSetController.markReady(client, ns, "glance");
        await().atMost(TIMEOUT).until(() -> "True".equals(condition(ns, "Ready").getStatus()));
        assertEquals(uids.keySet(), claims(ns).keySet(), "Retain keeps the claims of removed pods");

        scale(ns, 3);
        await().atMost(TIMEOUT).until(() -> condition(ns, "Ready") != null && "False".equals(condition(ns, "Ready").getStatus()));
        Map<String, String> after = claims(ns).values().stream()
                .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c.getMetadata().getUid()));
        assertEquals(uids, after, "scale-up reuses the very same claims");
    }

    /**
     * Decisions come from the cluster, not from memory: which pods still exist, what the StatefulSet reports. So an
     * operator restarted in the middle of a scale-down (or a slow pod termination) resumes where it was.
     */
    @Test
    void scaleDownDeleteRemovesClaimsOnlyOncePodsAreGone() {
        String ns = "delete";
        setUp(ns, p -> whenScaled(p, RetentionPolicy.Delete), 3);
        await().atMost(TIMEOUT).until(() -> claims(ns).size() == 3);
        // pods 1 and 2 are still terminating while the StatefulSet already asks for one replica
        runningPod(ns, "glance-1");
        runningPod(ns, "glance-2");

        scale(ns, 1);
        StatefulSetController.report(client, ns, "glance", 3, 1, "r1"); // three pods still exist
        await().atMost(TIMEOUT).until(() -> api(ns).getStatus().replicas == 3);
        assertEquals(Set.of("staging-glance-0", "staging-glance-1", "staging-glance-2"), claims(ns).keySet(),
                "claims of pods that still exist are never deleted");

        // pod 1 is gone; the controller already says 1 although pod 2 is still terminating
        client.pods().inNamespace(ns).withName("glance-1").delete();
        StatefulSetController.report(client, ns, "glance", 1, 1, "r1");
        await().atMost(TIMEOUT).until(() -> !claims(ns).containsKey("staging-glance-1"));
        assertEquals(Set.of("staging-glance-0", "staging-glance-2"), claims(ns).keySet(), "pod 2 still exists: its claim stays");
        await().atMost(TIMEOUT).until(() -> client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(e -> "StagingClaimDeleted".equals(e.getReason()) && e.getMessage().contains("staging-glance-1")));

        client.pods().inNamespace(ns).withName("glance-2").delete();
        StatefulSetController.report(client, ns, "glance", 1, 1, "r2");
        await().atMost(TIMEOUT).until(() -> claims(ns).keySet().equals(Set.of("staging-glance-0")));
    }

    @Test
    void growingTheStagingSizeExpandsClaimsWhereTheClassAllows() {
        String ns = "expand";
        client.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata().withName("expandable").endMetadata()
                .withProvisioner("example.com/csi").withAllowVolumeExpansion(true).build()).createOr(r -> r.update());
        setUp(ns, p -> {
            p.getSpec().storage.storageClassName = "expandable";
            return p;
        }, 2);
        patchPolicy(ns, "{\"storage\":{\"size\":\"25Gi\"}}");
        await().atMost(TIMEOUT).until(() -> claims(ns).values().stream()
                .allMatch(c -> new Quantity("25Gi").equals(c.getSpec().getResources().getRequests().get("storage"))));
        await().atMost(TIMEOUT).until(() -> "25Gi".equals(api(ns).getStatus().stagingSize));
        assertEquals("True", condition(ns, "StagingReady").getStatus());
    }

    @Test
    void growingIsReportedWhereTheClassCannotExpandAndNewClaimsGetTheNewSize() {
        String ns = "fixedsize";
        client.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata().withName("fixed").endMetadata()
                .withProvisioner("example.com/local").withAllowVolumeExpansion(false).build()).createOr(r -> r.update());
        setUp(ns, p -> {
            p.getSpec().storage.storageClassName = "fixed";
            return p;
        }, 1);
        patchPolicy(ns, "{\"storage\":{\"size\":\"25Gi\"}}");
        await().atMost(TIMEOUT).until(() -> condition(ns, "StagingReady") != null
                && "ExpansionNotSupported".equals(condition(ns, "StagingReady").getReason()));
        Condition staging = condition(ns, "StagingReady");
        assertEquals("False", staging.getStatus());
        assertTrue(staging.getMessage().contains("staging-glance-0 (class fixed)") && staging.getMessage().contains("allowVolumeExpansion"),
                staging.getMessage());
        assertEquals(new Quantity("10Gi"), claims(ns).get("staging-glance-0").getSpec().getResources().getRequests().get("storage"));

        scale(ns, 2);
        await().atMost(TIMEOUT).until(() -> claims(ns).containsKey("staging-glance-1"));
        assertEquals(new Quantity("25Gi"), claims(ns).get("staging-glance-1").getSpec().getResources().getRequests().get("storage"));
    }

    @Test
    void changingAnAccessModeUnderExistingClaimsIsReportedNotApplied() {
        String ns = "mode";
        setUp(ns, p -> p, 1);
        patchPolicy(ns, "{\"storage\":{\"accessMode\":\"ReadWriteOncePod\"}}");
        await().atMost(TIMEOUT).until(() -> condition(ns, "StagingReady") != null
                && "ClaimSpecMismatch".equals(condition(ns, "StagingReady").getReason()));
        assertTrue(condition(ns, "StagingReady").getMessage().contains("staging-glance-0 (ReadWriteOnce"));
        assertEquals(List.of("ReadWriteOnce"), claims(ns).get("staging-glance-0").getSpec().getAccessModes());
    }

    @Test
    void secretRotationRollsThePodsThroughTheConfigHash() {
        String ns = "rotate";
        setUp(ns, p -> p, 2);
        String before = sts(ns).getSpec().getTemplate().getMetadata().getAnnotations().get(Names.CONFIG_HASH_ANNOTATION);
        assertNotNull(before);
        client.secrets().inNamespace(ns).withName("glance-keystone")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"stringData\":{\"password\":\"rotated-password\"}}");
        await().atMost(TIMEOUT).until(() -> !before.equals(sts(ns).getSpec().getTemplate().getMetadata().getAnnotations()
                .get(Names.CONFIG_HASH_ANNOTATION)));
        // the status is written after the StatefulSet, in the same reconcile
        await().atMost(TIMEOUT).until(() -> !before.equals(api(ns).getStatus().configHash));
        assertEquals(sts(ns).getSpec().getTemplate().getMetadata().getAnnotations().get(Names.CONFIG_HASH_ANNOTATION),
                api(ns).getStatus().configHash);
        assertTrue(client.v1().events().inNamespace(ns).list().getItems().stream().anyMatch(e -> "ConfigChanged".equals(e.getReason())));
    }

    @Test
    void claimOwnersFollowRetentionWhenDeleted() {
        String ns = "owners";
        setUp(ns, p -> {
            p.getSpec().retention.whenDeleted = RetentionPolicy.Retain;
            return p;
        }, 1);
        await().atMost(TIMEOUT).until(() -> claims(ns).size() == 1);
        assertTrue(claims(ns).get("staging-glance-0").getMetadata().getOwnerReferences().isEmpty(), "Retain: nothing garbage-collects it");
        patchPolicy(ns, "{\"retention\":{\"whenDeleted\":\"Delete\"}}");
        await().atMost(TIMEOUT).until(() -> claims(ns).get("staging-glance-0").getMetadata().getOwnerReferences().size() == 1);
        assertEquals("glance", claims(ns).get("staging-glance-0").getMetadata().getOwnerReferences().get(0).getName());
    }

    /**
     * Only labelled Secrets are watched (the operator's memory must not grow with a cluster's other Secrets): the ones a
     * GlanceAPI names are labelled at first read, others are left alone, and one created after the GlanceAPI is found
     * by the re-check of a missing Secret.
     */
    @Test
    void referencedSecretsAreLabelledAndOneCreatedLaterIsFound() {
        String ns = "late-secret";
        // the samples' Secrets carry the label already; these are the Secrets of a user who did not add it
        Samples.apply(client, ns, "minimal.yaml", item -> !"glance-db".equals(item.getMetadata().getName()), Samples::unlabelled);
        client.resource(Samples.secret(ns, "unrelated", "token", "x")).create();
        await().atMost(TIMEOUT).until(() -> api(ns) != null && condition(ns, "ConfigReady") != null
                && "SecretNotFound".equals(condition(ns, "ConfigReady").getReason()));
        assertEquals("true", client.secrets().inNamespace(ns).withName("glance-keystone").get().getMetadata().getLabels()
                .get("import.glance.openstack.org/referenced"));

        Samples.apply(client, ns, "minimal.yaml", item -> "glance-db".equals(item.getMetadata().getName()), Samples::unlabelled);
        // no event announces it (it is not labelled yet): the re-check of a missing Secret finds it
        await().atMost(TIMEOUT).until(() -> "True".equals(condition(ns, "ConfigReady").getStatus()));
        assertEquals("true", client.secrets().inNamespace(ns).withName("glance-db").get().getMetadata().getLabels()
                .get("import.glance.openstack.org/referenced"));
        var unrelated = client.secrets().inNamespace(ns).withName("unrelated").get().getMetadata().getLabels();
        assertTrue(unrelated == null || !unrelated.containsKey("import.glance.openstack.org/referenced"), "left alone");
    }

    @Test
    void deletingAGlanceApiLeavesTheClaimsRetentionKeeps() {
        String ns = "delete-retain";
        setUp(ns, p -> {
            p.getSpec().retention.whenDeleted = RetentionPolicy.Retain;
            return p;
        }, 2);
        await().atMost(TIMEOUT).until(() -> claims(ns).size() == 2);
        // nothing for the operator to clean up: what goes with the GlanceAPI goes by owner references
        assertEquals(List.of(), api(ns).getMetadata().getFinalizers());
        client.resources(GlanceAPI.class).inNamespace(ns).withName("glance").delete();
        await().atMost(TIMEOUT).until(() -> api(ns) == null);
        // JOSDK's cleanup used to delete every claim of a deleted GlanceAPI, Retain or not (the mock server has no
        // garbage collector, so only the operator could have deleted them here)
        await().during(Duration.ofSeconds(2)).atMost(TIMEOUT).until(() -> claims(ns).size() == 2);
        assertEquals(Set.of("staging-glance-0", "staging-glance-1"), claims(ns).keySet());
    }

    @Test
    void theFinalizerOfOperator010IsTakenOff() {
        String ns = "legacy-finalizer";
        setUp(ns, p -> p, 1);
        client.resources(GlanceAPI.class).inNamespace(ns).withName("glance").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"finalizers\":[\"example.com/keep\",\"" + LegacyFinalizer.NAME + "\"]}}");
        // a finalizer change is no new generation; the next reconcile (in a cluster: the new operator's first, at start)
        // is brought about here by a change of spec
        client.resources(GlanceAPI.class).inNamespace(ns).withName("glance").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"scaleDownHoldSeconds\":5}}");
        await().atMost(TIMEOUT).until(() -> List.of("example.com/keep").equals(api(ns).getMetadata().getFinalizers()));
    }

    @Test
    void aReferencedStagingPolicyCannotBeDeletedOutFromUnderItsConsumers() {
        String ns = "inuse";
        setUp(ns, p -> p, 1);
        // in use and not being deleted: nobody is named (a list every consumer rewrites would cost a write per GlanceAPI)
        assertEquals(List.of(), client.resources(GlanceImportStaging.class).inNamespace(ns).withName("default").get().getStatus().consumers);
        client.resources(GlanceImportStaging.class).inNamespace(ns).withName("default").delete();
        await().atMost(TIMEOUT).until(() -> {
            GlanceImportStaging p = client.resources(GlanceImportStaging.class).inNamespace(ns).withName("default").get();
            return p != null && p.getStatus() != null && p.getStatus().conditions.stream()
                    .anyMatch(c -> "DeletionBlocked".equals(c.getReason()) && c.getMessage().contains("still used by glance"))
                    && List.of("glance").equals(p.getStatus().consumers);
        });
        client.resources(GlanceAPI.class).inNamespace(ns).withName("glance").delete();
        await().atMost(TIMEOUT).until(() -> client.resources(GlanceImportStaging.class).inNamespace(ns).withName("default").get() == null);
    }

    @Test
    void aFailedDatabaseSyncHoldsThePodsBackAndSaysWhy() {
        String ns = org.openstack.glanceimport.support.kube.JobController.FAILING_NAMESPACE_PREFIX + "1";
        for (var item : Samples.load(client, "minimal.yaml")) {
            item.getMetadata().setNamespace(ns);
            client.resource(item).inNamespace(ns).create();
        }
        await().atMost(TIMEOUT).until(() -> condition(ns, "DBSyncReady") != null && "DBSyncFailed".equals(condition(ns, "DBSyncReady").getReason()));
        assertTrue(condition(ns, "DBSyncReady").getMessage().contains("BackoffLimitExceeded"), condition(ns, "DBSyncReady").getMessage());
        assertEquals("DBSyncFailed", condition(ns, "Ready").getReason());
        assertEquals(null, sts(ns), "no pod may start on an unmigrated database");
        await().atMost(TIMEOUT).until(() -> client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(e -> "DBSyncFailed".equals(e.getReason())));
    }

    @Test
    void aNewImageMigratesFirstThenRollsAndForgetsTheOldJob() {
        String ns = "upgrade";
        setUp(ns, p -> p, 2);
        List<String> jobs = client.batch().v1().jobs().inNamespace(ns).list().getItems().stream().map(j -> j.getMetadata().getName()).toList();
        assertEquals(1, jobs.size());
        assertTrue(jobs.get(0).startsWith("glance-db-sync-"), jobs.get(0));
        client.resources(GlanceAPI.class).inNamespace(ns).withName("glance")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"containerImage\":\"registry.example/glance-api:2026.1\"}}");
        await().atMost(TIMEOUT).until(() -> "registry.example/glance-api:2026.1".equals(
                sts(ns).getSpec().getTemplate().getSpec().getContainers().get(0).getImage()));
        await().atMost(TIMEOUT).until(() -> client.batch().v1().jobs().inNamespace(ns).list().getItems().size() == 1);
        String current = client.batch().v1().jobs().inNamespace(ns).list().getItems().get(0).getMetadata().getName();
        assertNotEquals(jobs.get(0), current, "a new image runs a new db_sync");
        assertEquals("registry.example/glance-api:2026.1",
                client.batch().v1().jobs().inNamespace(ns).withName(current).get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    }

    @Test
    void aScaleDownThatCannotBeCheckedIsHeldUntilItsTimeout() {
        String ns = "hold";
        setUp(ns, p -> p, 3);
        // the sample's database is unreachable here: the operator cannot tell whether pod 2 holds staged images
        client.resources(GlanceAPI.class).inNamespace(ns).withName("glance")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":2,\"scaleDownHoldSeconds\":4}}");
        await().atMost(TIMEOUT).until(() -> condition(ns, "ScaleDownBlocked") != null);
        Condition held = condition(ns, "ScaleDownBlocked");
        assertEquals("True", held.getStatus());
        assertEquals("StagingCheckFailed", held.getReason());
        assertTrue(held.getMessage().startsWith("Scale-down from 3 to 2 waits: the Glance database could not be asked"), held.getMessage());
        assertEquals(3, sts(ns).getSpec().getReplicas(), "held: the StatefulSet keeps its pods");
        assertNotNull(api(ns).getStatus().scaleDownHeldSince);

        await().atMost(TIMEOUT).until(() -> sts(ns).getSpec().getReplicas() == 2);
        // the status is written after the StatefulSet, in the same reconcile
        await().atMost(TIMEOUT).until(() -> "HoldTimedOut".equals(condition(ns, "ScaleDownBlocked").getReason()));
        assertTrue(client.v1().events().inNamespace(ns).list().getItems().stream().anyMatch(e -> "ScaleDownHoldTimedOut".equals(e.getReason())));
        assertEquals(Set.of("staging-glance-0", "staging-glance-1", "staging-glance-2"), claims(ns).keySet(), "Retain keeps the claim");
    }
}
