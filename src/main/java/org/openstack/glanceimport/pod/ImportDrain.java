package org.openstack.glanceimport.pod;

import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.config.GlancePaths;

/**
 * The glance-api container's preStop hook: a pod asked to stop (a roll, a scale-down, a drain, an eviction, a
 * {@code kubectl delete pod}) first lets the imports and uploads it runs finish, then glance-api gets SIGTERM. Glance
 * does not wait for them itself (it exits within seconds and never resumes an import). The kubelet runs the hook before
 * SIGTERM and counts its time against terminationGracePeriodSeconds, which is spec.importDrainSeconds plus
 * {@link #SHUTDOWN_SECONDS}.
 * <p>
 * The signal is in the pod itself, so every cause of a stop is covered, whoever asks: a process of the container
 * (glance-api, or the qemu-img it runs to convert) holds a file of the staging area open. Staging, conversion and the
 * copy to the store each keep one open; between those steps a file is closed for a moment, so the area must stay
 * closed for {@link #QUIET_SECONDS} before the hook returns. That also covers an import's last steps, which come after
 * its files are deleted: Glance marks the task done and releases the image's import lock (a stop between the two left
 * an active image locked, its task processing, in make e2e). An area empty at the first look returns at once: the usual roll pays
 * only the start of a Python interpreter. Only processes of the hook's own mount namespace count (the container's:
 * another container of the pod, or a host with a shared PID namespace, may have its own staging area at that path).
 */
public final class ImportDrain {

    /** What glance-api needs between SIGTERM and its exit, and what the pod had before the hook existed. */
    public static final long SHUTDOWN_SECONDS = 60;
    static final double QUIET_SECONDS = 2.0;

    static final String SCRIPT = """
            import os, sys, time
            area, limit, quiet = sys.argv[1].rstrip('/') + '/', float(sys.argv[2]), float(sys.argv[3])
            me = str(os.getpid())
            def ns(pid):
                try:
                    return os.readlink('/proc/%s/ns/mnt' % pid)
                except OSError:
                    return None
            own = ns('self')
            def open_files():
                found = set()
                for pid in os.listdir('/proc'):
                    if not pid.isdigit() or pid == me or ns(pid) != own:
                        continue
                    try:
                        fds = os.listdir('/proc/%s/fd' % pid)
                    except OSError:
                        continue
                    for fd in fds:
                        try:
                            target = os.readlink('/proc/%s/fd/%s' % (pid, fd))
                        except OSError:
                            continue
                        if target.startswith(area):
                            found.add(target[len(area):])
                return found
            start = time.monotonic()
            closed_since = None
            seen = False
            while True:
                try:
                    staged = os.listdir(area)
                except OSError:
                    staged = []
                now = time.monotonic()
                if staged and open_files():
                    seen = True
                    closed_since = None
                elif not staged and not seen:
                    why = 'nothing staged'
                    break
                elif closed_since is None:
                    closed_since = now
                elif now - closed_since >= quiet:
                    why = 'imports finished' if seen else 'no import running'
                    break
                if now - start >= limit:
                    why = 'importDrainSeconds passed with imports running'
                    break
                time.sleep(0.2)
            print('import drain: %s after %.1fs' % (why, time.monotonic() - start), flush=True)
            """;

    private ImportDrain() {
    }

    /** The hook, or null with importDrainSeconds 0 (glance-api gets SIGTERM at once, as before the hook). */
    public static Lifecycle preStop(GlanceAPI api) {
        int seconds = api.getSpec().importDrainSecondsOrDefault();
        if (seconds == 0) {
            return null;
        }
        return new LifecycleBuilder().withNewPreStop().withNewExec()
                .withCommand("python3", "-c", SCRIPT, GlancePaths.STAGING_DIR, Integer.toString(seconds), Double.toString(QUIET_SECONDS))
                .endExec().endPreStop().build();
    }

    public static long terminationGracePeriodSeconds(GlanceAPI api) {
        return api.getSpec().importDrainSecondsOrDefault() + SHUTDOWN_SECONDS;
    }
}
