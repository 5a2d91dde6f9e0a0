package org.openstack.glanceimport.glance;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.openstack.glanceimport.config.ServiceCredentials;
import org.openstack.glanceimport.support.glance.GlanceTables;
import org.openstack.glanceimport.support.glance.H2GlanceDatabase;

/**
 * The scan on Glance's tables as Glance 25 writes them: once an import starts, os_glance_stage_host is soft-deleted,
 * and the import still runs on that host. The e2e tests show the same on real Glance and MariaDB (E2eImportInterrupted,
 * tests/test_planned_stops.py).
 */
class StagedImagesTest {

    private static final String HOST_1 = "http://glance-1.glance-headless.os.svc:9292";
    private static final String HOST_2 = "http://glance-2.glance-headless.os.svc:9292";

    @Test
    void importingImagesAreFoundOnTheHostTheImportRunsOn() throws Exception {
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        try (GlanceTables db = GlanceTables.create("staged_images")) {
            db.staged("a-uploading", "uploading", HOST_1, t);
            db.staged("b-importing", "uploading", HOST_2, t);
            String task = db.importStarted("b-importing", "processing", t.plusSeconds(30));
            // an import that failed: Glance puts the image back to uploading without a stage host (its data is gone)
            db.staged("c-failed", "uploading", HOST_1, t);
            db.importStarted("c-failed", "failure", t.plusSeconds(10));
            db.setStatus("c-failed", "uploading");
            db.staged("d-active", "uploading", HOST_2, t);
            db.setStatus("d-active", "active");

            StagedImages scan = new StagedImages(new H2GlanceDatabase());
            var creds = new ServiceCredentials.Database("staged_images" + H2GlanceDatabase.HOST_SUFFIX, 3306, "staged_images",
                    GlanceTables.USER, GlanceTables.PASSWORD);
            // images.updated_at is left out: setStatus stamps it with the database's clock
            assertEquals(List.of("a-uploading uploading " + HOST_1 + " null null null",
                    "b-importing importing " + HOST_2 + " " + task + " processing " + t.plusSeconds(30)),
                    scan.all(creds).stream().map(s -> String.join(" ", s.imageId(), s.status(), s.stageHost(), s.taskId(), s.taskStatus(),
                            String.valueOf(s.taskUpdatedAt()))).toList());
            assertEquals(List.of("b-importing"), scan.on(creds, Set.of(HOST_2)).stream().map(StagedImages.Staged::imageId).toList(),
                    "a scale-down removing pod 2 waits for the import running there");
        }
    }

    @Test
    void theLoadCountsUploadsInProgressAndTheBytesStaged() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (GlanceTables db = GlanceTables.create("import_load")) {
            db.staged("staged-on-1", "uploading", HOST_1, now, 5L << 20);
            db.staged("importing-on-2", "importing", HOST_2, now, 7L << 20);
            db.uploadStarted("upload-now", now);
            // a stage call cut short hours ago (its pod crashed): Glance never clears it
            db.uploadStarted("upload-abandoned", now.minusSeconds(2 * 3600));
            // an import that failed: uploading again, with the soft-deleted host row; its data is gone
            db.staged("failed", "uploading", HOST_1, now);
            db.importStarted("failed", "failure", now);
            db.setStatus("failed", "uploading");

            StagedImages scan = new StagedImages(new H2GlanceDatabase());
            StagedImages.Load load = scan.load(new ServiceCredentials.Database("import_load" + H2GlanceDatabase.HOST_SUFFIX, 3306,
                    "import_load", GlanceTables.USER, GlanceTables.PASSWORD));
            assertEquals(1, load.uploading(), "only the upload that began within the hour");
            assertEquals(java.util.Map.of("staged-on-1", 5L << 20, "importing-on-2", 7L << 20), load.staged().stream()
                    .collect(java.util.stream.Collectors.toMap(StagedImages.Staged::imageId, StagedImages.Staged::size)));
        }
    }
}
