package org.openstack.glanceimport.pod;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.config.GlancePaths;

/**
 * The preStop hook exactly as rendered, run as a real process on a staging area that a real process holds a file of
 * open, as glance-api and qemu-img do while they stage, convert and copy. tests/test_planned_stops.py runs it in the
 * pods of `make e2e`, against real glance-api imports.
 */
class ImportDrainTest {

    @TempDir
    Path staging;

    private static GlanceAPI api(int drainSeconds) {
        GlanceAPI api = new GlanceAPI();
        api.setMetadata(new ObjectMetaBuilder().withName("glance").withNamespace("os").build());
        api.setSpec(new GlanceAPISpec());
        api.getSpec().importDrainSeconds = drainSeconds;
        return api;
    }

    /** The rendered command, pointed at the test's staging area instead of the pod's. */
    private List<String> hook(GlanceAPI api) {
        List<String> command = new ArrayList<>(ImportDrain.preStop(api).getPreStop().getExec().getCommand());
        assertEquals(GlancePaths.STAGING_DIR, command.get(3));
        command.set(3, staging.toString());
        return command;
    }

    @Test
    void theGracePeriodCoversTheDrainAndGlancesShutdown() {
        assertEquals(540 + 60, ImportDrain.terminationGracePeriodSeconds(api(540)));
        assertEquals(60, ImportDrain.terminationGracePeriodSeconds(api(0)));
        assertNull(ImportDrain.preStop(api(0)), "0 stops glance-api at once");
        GlanceAPISpec unset = new GlanceAPISpec();
        unset.importDrainSeconds = null;
        assertEquals(540, unset.importDrainSecondsOrDefault(), "as the CRD default, for objects stored before the field");
    }

    @Test
    void anEmptyStagingAreaStopsAtOnce() throws Exception {
        assertTrue(run(hook(api(540))).startsWith("import drain: nothing staged after "));
    }

    @Test
    void waitsWhileAFileOfTheStagingAreaIsOpenThenForTheQuietPeriod() throws Exception {
        // the file is closed, as at the end of the copy to the store, and stays
        String out = drainWhileHeld(Files.writeString(staging.resolve("0b5e.raw"), "converted"), "f.close()", 3);
        assertTrue(out.startsWith("import drain: imports finished after "), out);
    }

    @Test
    void anImportWhoseFilesAreDeletedStillGetsTheQuietPeriodForItsLastSteps() throws Exception {
        // as Glance's import: the file is deleted (_DeleteFromFS), then the task is completed in the database
        String out = drainWhileHeld(Files.writeString(staging.resolve("5d2e"), "staged"), "os.unlink(sys.argv[1]); f.close()", 1);
        assertTrue(out.startsWith("import drain: imports finished after "), "an emptied area is not 'nothing staged': " + out);
        double waited = Double.parseDouble(out.replaceAll(".* after ([0-9.]+)s$", "$1"));
        assertTrue(waited >= ImportDrain.QUIET_SECONDS, "returned " + waited + "s after start, before the quiet period ended");
    }

    /**
     * A real process holds {@code file} open; the hook starts and must still run {@code heldSeconds} later; then the
     * process does {@code release} (Python, {@code f} the open file) and the hook must return. Its output.
     */
    private String drainWhileHeld(Path file, String release, int heldSeconds) throws Exception {
        Process holder = new ProcessBuilder("python3", "-c", "import os, sys\nf = open(sys.argv[1])\nprint('open', flush=True)\n"
                + "sys.stdin.readline()\n" + release + "\nsys.stdin.readline()", file.toString()).start();
        try {
            assertEquals("open", new String(holder.getInputStream().readNBytes(5), StandardCharsets.UTF_8).strip());
            Process drain = new ProcessBuilder(hook(api(540))).redirectErrorStream(true).start();
            assertFalse(drain.waitFor(heldSeconds, TimeUnit.SECONDS), "the hook returned while a staged file was open");
            holder.getOutputStream().write('\n');
            holder.getOutputStream().flush();
            assertTrue(drain.waitFor(30, TimeUnit.SECONDS), "the hook did not return once the file was released");
            assertEquals(0, drain.exitValue());
            return new String(drain.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void aFileStagedButNotOpenWaitsOnlyTheQuietPeriod() throws Exception {
        Files.writeString(staging.resolve("7c1d"), "staged, import not asked yet");
        assertTrue(run(hook(api(540))).startsWith("import drain: no import running after "));
    }

    @Test
    void theWaitEndsAtImportDrainSeconds() throws Exception {
        Path raw = Files.writeString(staging.resolve("9a0f.raw"), "converted");
        Process holder = new ProcessBuilder("python3", "-c", "import sys, time\nf = open(sys.argv[1])\ntime.sleep(120)", raw.toString()).start();
        try {
            assertTrue(run(hook(api(1))).startsWith("import drain: importDrainSeconds passed with imports running after "));
        } finally {
            holder.destroyForcibly();
        }
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the hook did not return");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
