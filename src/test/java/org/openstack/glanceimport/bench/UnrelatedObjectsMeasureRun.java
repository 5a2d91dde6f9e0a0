package org.openstack.glanceimport.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.openstack.glanceimport.packaging.OperatorJvm;
import org.openstack.glanceimport.packaging.OperatorProcess;
import org.openstack.glanceimport.support.BenchJson;

/**
 * `make measure`: the operator's heap after a full GC (jcmd GC.run, GC.heap_info) in a cluster with 5,000 unrelated
 * Secrets of 4 KiB and 500 unrelated ConfigMaps and PVCs in a watched namespace, against the same without them. The
 * packaged jar runs as its own process (so the mock server's storage is not counted), unelected (profile measure).
 * {@code -Dmeasure.jars=a.jar,b.jar} measures several builds side by side in one run; the key
 * heap_delta_mb_unrelated_objects is the first jar's, written to target/bench.json.
 */
@Tag("measure")
class UnrelatedObjectsMeasureRun {

    private static final int SECRETS = Integer.getInteger("measure.secrets", 5000);
    private static final int OTHERS = Integer.getInteger("measure.others", 500);

    @Test
    void heapWithUnrelatedObjects() throws Exception {
        List<Path> jars = new ArrayList<>();
        for (String j : System.getProperty("measure.jars", OperatorProcess.JAR.toString()).split(",")) {
            jars.add(Path.of(j.strip()));
        }
        StartupMeasureRun.requireBuilt(jars.toArray(Path[]::new));
        Map<String, Object> results = new LinkedHashMap<>();
        System.out.println("\n==== operator heap with unrelated objects (" + SECRETS + " Secrets of 4 KiB, " + OTHERS
                + " ConfigMaps, " + OTHERS + " PVCs) ====");
        for (Path jar : jars) {
            long without = heapKb(jar, false);
            long with = heapKb(jar, true);
            double delta = (with - without) / 1024.0;
            System.out.printf("%s: heap used after GC %d MiB without, %d MiB with: delta %.1f MiB%n", jar, without / 1024, with / 1024,
                    delta);
            if (!results.containsKey("heap_delta_mb_unrelated_objects")) {
                results.put("heap_delta_mb_unrelated_objects", Math.round(delta * 10) / 10.0);
                results.put("heap_without_unrelated_mb", without / 1024);
                results.put("heap_with_unrelated_mb", with / 1024);
            }
        }
        org.openstack.glanceimport.support.BenchJson.merge(results);
    }

    private static long heapKb(Path jar, boolean unrelated) throws Exception {
        KubernetesMockServer server = OperatorProcess.apiServer(new KubernetesCrudDispatcher(List.of()));
        try (KubernetesClient client = server.createClient()) {
            OperatorProcess.installCrds(client);
            if (unrelated) {
                String blob = "x".repeat(4096);
                for (int i = 0; i < SECRETS; i++) {
                    client.resource(new SecretBuilder().withNewMetadata().withName("token-" + i).withNamespace("apps").endMetadata()
                            .addToStringData("token", blob).build()).create();
                }
                for (int i = 0; i < OTHERS; i++) {
                    client.resource(new ConfigMapBuilder().withNewMetadata().withName("cm-" + i).withNamespace("apps").endMetadata()
                            .addToData("k", "v".repeat(1024)).build()).create();
                    client.resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName("pvc-" + i).withNamespace("apps")
                            .endMetadata().withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
                            .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()).create();
                }
            }
            try (OperatorProcess operator = OperatorProcess.start(jar, client.getConfiguration().getMasterUrl(), "default", null,
                    Boolean.getBoolean("measure.verbose"), "-Dquarkus.profile=measure")) {
                if (operator.awaitReady(Duration.ofSeconds(120)) < 0) {
                    throw new IllegalStateException("not ready:\n" + String.join("\n", operator.log()));
                }
                Thread.sleep(3000);
                jcmd(operator.process.pid(), "GC.run");
                jcmd(operator.process.pid(), "GC.run");
                String info = jcmd(operator.process.pid(), "GC.heap_info");
                Matcher used = Pattern.compile("used (\\d+)K").matcher(info);
                if (!used.find()) {
                    throw new IllegalStateException("no heap figure in: " + info);
                }
                return Long.parseLong(used.group(1));
            }
        } finally {
            server.destroy();
        }
    }

    private static String jcmd(long pid, String command) throws Exception {
        Process p = new ProcessBuilder(OperatorJvm.resolve().tool("jcmd"), Long.toString(pid), command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
