package org.openstack.glanceimport.runtime;

import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import io.javaoperatorsdk.operator.Operator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.openstack.glanceimport.support.RecordingApiServer;

/** The started operator's start-up pool lets its idle threads go after 5 s instead of JOSDK's 60 s. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = RecordingApiServer.class)
class StarterThreadsTest {

    @Inject
    Operator operator;

    @Test
    void idleStarterThreadsEndAfterFiveSeconds() {
        ThreadPoolExecutor pool = assertInstanceOf(ThreadPoolExecutor.class,
                operator.getConfigurationService().getExecutorServiceManager().cachingExecutorService());
        assertEquals(StarterThreads.KEEP_ALIVE.toMillis(), pool.getKeepAliveTime(TimeUnit.MILLISECONDS));
    }
}
