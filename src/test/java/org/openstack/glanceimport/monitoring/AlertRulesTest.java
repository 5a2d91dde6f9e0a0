package org.openstack.glanceimport.monitoring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.support.tools.TestTools;

/**
 * The shipped rules, checked and unit-tested by Prometheus' own promtool (TestTools: PROMTOOL, PATH, Debian's prometheus
 * package or Prometheus' release; a missing promtool fails, it never skips): every alert fires on input that should fire it, with the production `for` periods, and stays silent on input
 * that should not (src/test/monitoring/alerts-test.yaml).
 */
class AlertRulesTest {

    static final Path RULES = Path.of("src/main/monitoring/prometheus-rules.yaml");
    static final Path TESTS = Path.of("src/test/monitoring/alerts-test.yaml");

    @Test
    void promtoolChecksTheRules() throws Exception {
        String out = promtool("check", "rules", RULES.toString());
        assertTrue(out.contains("SUCCESS"), out);
    }

    @Test
    void everyAlertFiresAndStaysSilentWhereItShould() throws Exception {
        String out = promtool("test", "rules", TESTS.toString());
        assertTrue(out.contains("SUCCESS"), out);
        String tests = Files.readString(TESTS);
        for (String alert : Files.readString(RULES).lines().filter(l -> l.strip().startsWith("- alert: "))
                .map(l -> l.strip().substring("- alert: ".length())).toList()) {
            assertTrue(tests.contains("alertname: " + alert + "\n    exp_alerts: []"), alert + " has no silent case");
            assertTrue(tests.lines().anyMatch(l -> l.strip().equals("alertname: " + alert)) && firing(tests, alert),
                    alert + " has no firing case");
        }
    }

    private static boolean firing(String tests, String alert) {
        String[] parts = tests.split("alertname: " + alert + "\n");
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].startsWith("    exp_alerts:\n    - exp_labels:")) {
                return true;
            }
        }
        return false;
    }

    static String promtool(String... args) throws IOException, InterruptedException {
        Path promtool = TestTools.promtool();
        List<String> command = new java.util.ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ":\n" + out);
        return out;
    }
}
