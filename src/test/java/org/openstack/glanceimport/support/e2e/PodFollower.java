package org.openstack.glanceimport.support.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Plays the StatefulSet controller and the kubelet for the e2e harness: while it runs, the GlanceAPI's pods follow the
 * StatefulSet's replicas as real glance-api processes (pods.py up for new ordinals; pods.py delete, preStop drain
 * included, for removed ones, highest first as the StatefulSet controller goes). Every pod is started knowing
 * {@code maxPods} names, so that any pod can forward an import to any other.
 */
public final class PodFollower implements AutoCloseable {

    private final Path run;
    private final Path list;
    private final int maxPods;
    private final IntSupplier replicas;
    private final Thread thread;
    private final List<String> log = new ArrayList<>();
    private volatile boolean running = true;
    private volatile int up;
    private volatile int most;
    private volatile Throwable failure;

    public PodFollower(Path run, Path list, int maxPods, IntSupplier replicas) {
        this.run = run;
        this.list = list;
        this.maxPods = maxPods;
        this.replicas = replicas;
        this.thread = new Thread(this::follow, "pod-follower");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow() {
        while (running) {
            try {
                int want = Math.min(replicas.getAsInt(), maxPods);
                if (want > up) {
                    E2eHarness.python("pods.py", "up", run.toString(), list.toString(), "--replicas", Integer.toString(maxPods),
                            "--only", ordinals(up, want));
                    note("[pods] up " + ordinals(up, want) + " (StatefulSet replicas " + want + ")");
                    up = want;
                    most = Math.max(most, up);
                } else if (want >= 0 && want < up) {
                    String out = E2eHarness.python("pods.py", "delete", run.toString(), list.toString(), "--only", ordinals(want, up));
                    note("[pods] deleted " + ordinals(want, up) + ": " + out.strip().replace('\n', ' '));
                    up = want;
                }
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                if (running) {
                    failure = t;
                    running = false;
                }
            }
        }
    }

    private synchronized void note(String line) {
        System.out.println(line);
        log.add(line);
    }

    private static String ordinals(int from, int to) {
        return IntStream.range(from, to).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    /** Pods running now. */
    public int up() {
        check();
        return up;
    }

    /** The most pods that ran at once. */
    public int most() {
        return most;
    }

    public synchronized List<String> log() {
        return List.copyOf(log);
    }

    private void check() {
        if (failure != null) {
            throw new AssertionError("following the StatefulSet failed", failure);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(60_000);
        E2eHarness.python("pods.py", "down", run.toString());
        check();
    }
}
