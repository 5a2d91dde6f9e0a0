package org.openstack.glanceimport.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.openstack.glanceimport.config.ServiceCredentials;
import org.openstack.glanceimport.support.GlanceTables;
import org.openstack.glanceimport.support.H2GlanceDatabase;

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
}
