package org.openstack.glanceimport.support.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.support.GlanceApiObjects;

/** The e2e harness's scripts (e2e/*.py), run from the live tests: pods.py plays the kubelet, glance_ops.py the user. */
public final class E2eHarness {

    private E2eHarness() {
    }

    /** Runs the GlanceAPI's pods as the operator rendered them (its objects written to RUNDIR/{@code listName}). */
    public static Path podsUp(io.fabric8.kubernetes.client.KubernetesClient client, org.openstack.glanceimport.api.GlanceAPI api,
            Path run, String listName) throws IOException {
        Path list = run.resolve(listName);
        java.nio.file.Files.writeString(list, io.fabric8.kubernetes.client.utils.Serialization.asJson(GlanceApiObjects.of(client, api)));
        python("pods.py", "up", run.toString(), list.toString());
        return list;
    }

    /** A new image, staged on pod {@code pod} from {@code file} (Glance answers 204); its id. */
    public static String stagedOn(Path run, int pod, String name, Path file) {
        String id = ops(run, "create", Integer.toString(pod), name).strip();
        String staged = ops(run, "stage", Integer.toString(pod), id, file.toString()).strip();
        if (!"204".equals(staged)) {
            throw new AssertionError("staging " + name + " on pod " + pod + " answered " + staged);
        }
        return id;
    }

    /**
     * A new image staged on pod {@code pod} from {@code qcow2}, its import asked through pod 0 and seen running: Glance's
     * conversion to raw has begun in the pod's staging area (on claim staging-{@code glanceApi}-{@code pod}). Its id.
     */
    public static String importInFlight(Path run, String glanceApi, int pod, String name, Path qcow2) {
        String id = stagedOn(run, pod, name, qcow2);
        String imported = ops(run, "import", "0", id);
        if (!imported.startsWith("202")) {
            throw new AssertionError("the import of " + name + " answered " + imported);
        }
        Path raw = run.resolve("pvc").resolve("staging-" + glanceApi + "-" + pod).resolve("os_glance_staging_store").resolve(id + ".raw");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(180)).pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> java.nio.file.Files.exists(raw));
        return id;
    }

    /** glance_ops.py against the run directory's services; its stdout is the result. */
    public static String ops(Path run, String... args) {
        List<String> all = new ArrayList<>(List.of(run.toString()));
        all.addAll(List.of(args));
        return python("glance_ops.py", all.toArray(String[]::new));
    }

    /** Runs one of the harness's scripts; its stderr goes to the console, its stdout is the result. */
    public static String python(String script, String... args) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", Path.of("e2e", script).toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0) {
                throw new AssertionError(String.join(" ", cmd) + " exited " + rc + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", cmd), e);
        }
    }
}
