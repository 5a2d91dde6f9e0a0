package org.openstack.glanceimport.support.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live e2e tests' Prometheus must be named or explicitly declined: an unset property fails, it never skips. */
class E2ePrometheusTest {

    private final String before = System.getProperty(E2ePrometheus.PROPERTY);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(E2ePrometheus.PROPERTY);
        } else {
            System.setProperty(E2ePrometheus.PROPERTY, before);
        }
    }

    @Test
    void unsetFailsSayingHowToOptOut() {
        System.clearProperty(E2ePrometheus.PROPERTY);
        AssertionError unset = assertThrows(AssertionError.class, E2ePrometheus::fromSystemProperty);
        assertTrue(unset.getMessage().contains("-De2e.prometheus=none"), unset.getMessage());
    }

    @Test
    void noneOptsOutAndAUrlIsUsed() {
        System.setProperty(E2ePrometheus.PROPERTY, "none");
        assertTrue(E2ePrometheus.fromSystemProperty().isEmpty());
        System.setProperty(E2ePrometheus.PROPERTY, "http://127.0.0.1:19090");
        assertTrue(E2ePrometheus.fromSystemProperty().isPresent());
    }
}
