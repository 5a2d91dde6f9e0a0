package org.openstack.glanceimport.runtime;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import io.javaoperatorsdk.operator.Operator;
import io.quarkus.runtime.StartupEvent;
import org.jboss.logging.Logger;

/**
 * JOSDK starts each controller and each event source on a thread of a cached pool of its own, and uses that pool for
 * nothing else than starting and stopping them. The start of the two controllers and their 17 informers leaves ~32
 * threads behind, idle, each with the stack it grew deserializing the first lists, and a cached pool keeps idle threads
 * 60 s. Five seconds are plenty between one start and the next (a leadership won later, an event source registered
 * at a first reconcile), and the memory comes back once the operator is up.
 */
@Singleton
public class StarterThreads {

    static final Duration KEEP_ALIVE = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(StarterThreads.class);

    // after the Quarkus Operator SDK's own StartupEvent observer (default priority), which starts the operator and with it
    // JOSDK's executors
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event, Operator operator) {
        ExecutorService starters = operator.getConfigurationService().getExecutorServiceManager().cachingExecutorService();
        if (starters instanceof ThreadPoolExecutor pool) {
            pool.setKeepAliveTime(KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            // another JOSDK: its threads stay as it made them, nothing else changes
            LOG.debugf("JOSDK's start-up executor is %s, not a ThreadPoolExecutor: its idle threads keep JOSDK's timeout", starters);
        }
    }
}
