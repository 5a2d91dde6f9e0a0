package org.openstack.glanceimport.delivery;

import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A test in form only: `make helm` and `make bundle` run it through surefire ({@code -Dtest=MonitoringManifestsRun
 * -Dmonitoring.chart=<chart dir>} or {@code -Dmonitoring.bundle=<manifests dir>}) to add the monitoring objects
 * ({@link MonitoringManifests}). Its name does not end in Test, so `make test` never selects it.
 */
class MonitoringManifestsRun {

    @Test
    void write() throws Exception {
        String chart = System.getProperty("monitoring.chart");
        String bundle = System.getProperty("monitoring.bundle");
        Assumptions.assumeTrue(chart != null || bundle != null, "set -Dmonitoring.chart=<dir> or -Dmonitoring.bundle=<dir>");
        MonitoringManifests.write(chart == null ? null : Path.of(chart), bundle == null ? null : Path.of(bundle));
    }
}
