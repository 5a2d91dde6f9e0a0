package org.openstack.glanceimport.stores;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.stores.BackendType;
import org.openstack.glanceimport.api.stores.S3Backend;
import org.openstack.glanceimport.api.stores.Store;
import org.openstack.glanceimport.api.stores.SwiftBackend;
import org.openstack.glanceimport.support.objectstores.StoreBuilders;
import org.openstack.glanceimport.validation.InputProblem;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** Specs with object stores, a clock the tests move, and the check that no secret value leaks into a problem. */
final class StoreSpecs {

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private StoreSpecs() {
    }

    /** A spec whose stores are a file store first (so the object stores sit at index 1 and up), then {@code backends}. */
    static GlanceAPISpec spec(Object... backends) {
        GlanceAPISpec spec = new GlanceAPISpec();
        spec.stores = new ArrayList<>(List.of(new Store("local", BackendType.file)));
        for (Object b : backends) {
            String name = "store" + spec.stores.size();
            spec.stores.add(b instanceof S3Backend s ? StoreBuilders.store(name, s) : StoreBuilders.store(name, (SwiftBackend) b));
        }
        return spec;
    }

    /** Every value of every Secret is absent from every problem's field and message. */
    static void assertNoSecretIn(List<InputProblem> problems, Map<String, Map<String, String>> secrets) {
        for (InputProblem p : problems) {
            secrets.values().forEach(data -> data.forEach((k, v) -> {
                if (!k.equals("ca.crt")) {
                    assertFalse(p.message().contains(v) || p.field().contains(v), "the value of " + k + " shows in " + p);
                }
            }));
        }
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
