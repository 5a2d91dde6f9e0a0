package org.openstack.glanceimport.packaging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * The training run of the operator image's AOT cache: starts the operator with -XX:AOTCacheOutput (Java 25; on a Java 17
 * fallback -XX:ArchiveClassesAtExit, a plain class-data archive: OperatorJvm) against fabric8's mock API server holding
 * the generated CRDs, waits until it is ready (Quarkus booted, controllers and informers started: the classes every start
 * loads and links), then stops it with SIGTERM, at which the JVM writes the cache. A cache is only valid for the JVM
 * that wrote it and the same jars at the same paths, so Dockerfile.jvm runs this inside the image, through the image's
 * own run-java.sh; `make measure` and AotCacheIT run it here on the operator's JVM.
 * <p>
 * Usage: {@code AotCacheTraining <cache> <command...>}, from a directory holding target/kubernetes/*-v1.yml.
 */
public final class AotCacheTraining {

    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private AotCacheTraining() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: AotCacheTraining <cache> <command...>");
        }
        // the mock server logs every request at INFO: a build log needs none of them
        QUIET.setLevel(java.util.logging.Level.WARNING);
        int status = 1;
        try {
            // in the image, the JVM of this class is the one run-java.sh starts
            train(Path.of(args[0]), OperatorJvm.current(), List.of(Arrays.copyOfRange(args, 1, args.length)), Map.of());
            System.out.println("AOT cache written: " + args[0] + " (" + Files.size(Path.of(args[0])) / (1024 * 1024) + " MiB)");
            status = 0;
        } catch (Exception | Error e) {
            e.printStackTrace();
        } finally {
            // the mock server's Vert.x threads outlive its destroy(); a build step must end, and fail when training did
            System.exit(status);
        }
    }

    /**
     * The CRUD mock server, plus the answer it lacks to the SelfSubjectRulesReview with which JOSDK's leader election
     * (on in the prod profile, as in the pod) checks its Lease access: the Lease verbs the chart grants.
     */
    static final class LeaseGrantingDispatcher extends KubernetesCrudDispatcher {
        private final String review = Serialization.asJson(new SelfSubjectRulesReviewBuilder().withNewStatus()
                .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
                .withVerbs("get", "create", "update", "patch").endResourceRule().withIncomplete(false).endStatus().build());

        LeaseGrantingDispatcher() {
            super(List.of());
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            if (request.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
                return new MockResponse().setResponseCode(201).setBody(review);
            }
            return super.dispatch(request);
        }
    }

    /**
     * Trains {@code cache} with the operator started by {@code command} on {@code jvm}; fails unless the cache was
     * written.
     */
    public static void train(Path cache, OperatorJvm jvm, List<String> command, Map<String, String> env) throws Exception {
        Files.deleteIfExists(cache);
        KubernetesMockServer server = OperatorProcess.apiServer(new LeaseGrantingDispatcher());
        try (KubernetesClient client = server.createClient()) {
            OperatorProcess.installCrds(client);
            Map<String, String> training = new java.util.HashMap<>(env);
            // the java launcher reads JDK_JAVA_OPTIONS whoever starts it: run-java.sh passes no options through otherwise
            training.put("JDK_JAVA_OPTIONS", (System.getenv().getOrDefault("JDK_JAVA_OPTIONS", "") + " " + jvm.trainingOption(cache)).strip());
            try (OperatorProcess operator = OperatorProcess.launch(command, training, client.getConfiguration().getMasterUrl(),
                    "default", "appcds-training", false)) {
                if (operator.awaitReady(Duration.ofSeconds(120)) < 0) {
                    throw new IllegalStateException("the operator did not become ready:\n" + String.join("\n", operator.log()));
                }
                // Java 25 writes the cache after the operator stopped, in a second JVM it waits for (~10 s here)
                if (operator.terminate(Duration.ofSeconds(180)) < 0) {
                    throw new IllegalStateException("the operator did not stop within 180 s of SIGTERM");
                }
                if (!Files.isRegularFile(cache) || Files.size(cache) == 0) {
                    throw new IllegalStateException("the JVM wrote no cache at " + cache + ":\n" + String.join("\n", operator.log()));
                }
            }
        } finally {
            server.destroy();
        }
    }
}
