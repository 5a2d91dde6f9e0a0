package org.openstack.glanceimport.support.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import org.openstack.glanceimport.support.tools.TestTools;

/**
 * A real Kubernetes 1.26 control plane for tests and benchmarks: kube-apiserver and etcd (io.fabric8:kube-api-test),
 * with an audit log of every request that reached it, and kube-controller-manager running the StatefulSet, Job,
 * garbage-collector and claim-protection controllers against it. No scheduler and no kubelet: pods are created but never run, unless a test
 * plays the kubelet ({@link NodeStandIn}).
 * <p>
 * {@link #installOperator()} installs what the chart ships the way `helm install` would, minus the Deployment: the
 * chart's CRDs and the RBAC `helm template` renders, bound to the operator's ServiceAccount, whose token
 * {@link #operatorConfig()} carries. kube-api-test's own client is in {@code system:masters}: the operator never uses it.
 * <p>
 * Binaries: {@link TestTools#kubeApiTestDir()} ({@code KUBE_API_TEST_DIR}, else {@code target/kube-api-test}, laid out
 * by {@code ../shared/k8s/install.sh} where that exists, else from the cache or fetched from dl.k8s.io and github.com)
 * and {@link TestTools#kubeControllerManager()} ({@code KUBE_CONTROLLER_MANAGER} names another). kube-api-test never
 * downloads: it has no build of {@value #VERSION}.
 */
public final class RealApiServer implements AutoCloseable {

    public static final String VERSION = "1.26.4";
    public static final String OPERATOR_NAMESPACE = "glance-import-operator";
    public static final String OPERATOR_ACCOUNT = "glance-import-operator";
    public static final String OPERATOR_USER = "system:serviceaccount:" + OPERATOR_NAMESPACE + ":" + OPERATOR_ACCOUNT;
    /** Request bodies of the operator's writes (what it sent), metadata only of everything else. */
    private static final String AUDIT_POLICY = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: [RequestReceived]
            rules:
            - level: None
              verbs: [watch]
            - level: Request
              users: ["%s"]
              verbs: [create, update, patch, delete, deletecollection]
            - level: Metadata
            """.formatted(OPERATOR_USER);

    private static RealApiServer shared;

    private final Path dir;
    private final KubeAPIServer server;
    private final Process controllerManager;
    private final Config adminConfig;
    private final KubernetesClient admin;
    private final AuditLog audit;
    private Config operatorConfig;

    private RealApiServer(Path dir, KubeAPIServer server, Process controllerManager, Config adminConfig, AuditLog audit) {
        this.dir = dir;
        this.server = server;
        this.controllerManager = controllerManager;
        this.adminConfig = adminConfig;
        this.admin = new KubernetesClientBuilder().withConfig(adminConfig).build();
        this.audit = audit;
    }

    /** One control plane per JVM (a start costs 5-10 s), stopped when the JVM ends. */
    public static synchronized RealApiServer shared() {
        if (shared == null) {
            shared = start(Path.of("target/real-api"));
            shared.installOperator();
            RealApiServer stopping = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(stopping::close, "real-api-server-stop"));
        }
        return shared;
    }

    public static RealApiServer start(Path dir) {
        try {
            Files.createDirectories(dir);
            Path binaries = TestTools.kubeApiTestDir();
            Path controllerManager = TestTools.kubeControllerManager();
            Path policy = Files.writeString(dir.resolve("audit-policy.yaml"), AUDIT_POLICY);
            Path auditLog = dir.resolve("audit.log").toAbsolutePath();
            Files.deleteIfExists(auditLog);
            KubeAPIServerConfigBuilder config = KubeAPIServerConfigBuilder.anAPIServerConfig()
                    .withApiServerVersion(VERSION)
                    .withUpdateKubeConfig(false)
                    // kube-apiserver exits at once on a host without a default route unless told its address
                    .withApiServerFlag("--advertise-address", "127.0.0.1")
                    .withApiServerFlag("--audit-policy-file", policy.toAbsolutePath().toString())
                    .withApiServerFlag("--audit-log-path", auditLog.toString())
                    .withApiServerFlag("--audit-log-maxsize", "1000");
            // the binaries are there: nothing to download (KUBE_API_TEST_OFFLINE_MODE as a variable breaks 7.4.0)
            config.withTestDir(binaries.toString()).withOfflineMode(true);
            KubeAPIServer server = new KubeAPIServer(config.build());
            try {
                server.start();
            } catch (RuntimeException e) {
                throw new IllegalStateException("kube-apiserver " + VERSION + " did not start from " + binaries + " (" + e + ")", e);
            }
            String kubeconfig = server.getKubeConfigYaml();
            Path kubeconfigFile = Files.writeString(dir.resolve("admin.kubeconfig"), kubeconfig);
            Config adminConfig = Config.fromKubeconfig(kubeconfig);
            Process kcm = new ProcessBuilder(controllerManager.toString(),
                    "--kubeconfig=" + kubeconfigFile.toAbsolutePath(), "--controllers=statefulset,job,garbagecollector,pvc-protection",
                    "--leader-elect=false", "--use-service-account-credentials=false", "--secure-port=0")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("kube-controller-manager.log").toFile()).start();
            return new RealApiServer(dir, server, kcm, adminConfig, new AuditLog(auditLog));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What `helm install` of the checked-in chart puts in place, but the operator's Deployment (no kubelet runs it): its
     * CRDs, and the ServiceAccount, roles and bindings `helm template` renders for the release namespace.
     */
    public void installOperator() {
        createNamespace(OPERATOR_NAMESPACE);
        try (var crds = Files.list(Path.of("helm/crds"))) {
            for (Path crd : crds.sorted().toList()) {
                admin.resource(Files.readString(crd)).serverSideApply();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (HasMetadata object : ChartRbac.render(admin, OPERATOR_NAMESPACE)) {
            admin.resource(object).inNamespace(OPERATOR_NAMESPACE).serverSideApply();
        }
        authenticateOperator();
    }

    /**
     * Signs the operator in as its ServiceAccount (installed by {@link #installOperator()}, or by a real `helm install`
     * of a chart into {@value #OPERATOR_NAMESPACE}) and waits until every CRD is established.
     */
    public void authenticateOperator() {
        String token = admin.serviceAccounts().inNamespace(OPERATOR_NAMESPACE).withName(OPERATOR_ACCOUNT)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(24 * 3600L).endSpec().build())
                .getStatus().getToken();
        operatorConfig = new ConfigBuilder(Config.empty()).withMasterUrl(adminConfig.getMasterUrl())
                .withCaCertData(caCertData()).withOauthToken(token).withNamespace(OPERATOR_NAMESPACE).build();
        admin.apiextensions().v1().customResourceDefinitions().list().getItems().forEach(crd -> admin.apiextensions().v1()
                .customResourceDefinitions().resource(crd).waitUntilCondition(c -> c.getStatus() != null
                        && c.getStatus().getConditions().stream().anyMatch(k -> "Established".equals(k.getType())
                                && "True".equals(k.getStatus())), 30, TimeUnit.SECONDS));
    }

    /** The server's CA, base64 (kube-api-test's kubeconfig names a file). */
    private String caCertData() {
        if (adminConfig.getCaCertData() != null) {
            return adminConfig.getCaCertData();
        }
        try {
            return java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(adminConfig.getCaCertFile())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates the namespace, or leaves it as it is (tests of one JVM share the server). */
    public void createNamespace(String name) {
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).serverSideApply();
    }

    /** The cluster-admin client (system:masters), for what a user or an installer does. */
    public KubernetesClient admin() {
        return admin;
    }

    public Config adminConfig() {
        return adminConfig;
    }

    /** As the operator's ServiceAccount: only what the shipped RBAC grants. */
    public Config operatorConfig() {
        return operatorConfig;
    }

    public String url() {
        return adminConfig.getMasterUrl();
    }

    public AuditLog audit() {
        return audit;
    }

    public Path dir() {
        return dir;
    }

    /** The admin kubeconfig (system:masters), for a real helm or kubectl run against this server. */
    public Path adminKubeconfig() {
        return dir.resolve("admin.kubeconfig").toAbsolutePath();
    }

    @Override
    public void close() {
        controllerManager.destroy();
        try {
            controllerManager.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        controllerManager.destroyForcibly();
        admin.close();
        server.stop();
    }
}
