package org.openstack.glanceimport.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;

/** Reads the requests the mock API server received, so tests can count what the operator wrote. */
public final class ApiRequests {

    private final KubernetesMockServer server;

    public ApiRequests(KubernetesMockServer server) {
        this.server = server;
    }

    /** Takes every request recorded so far, oldest first. */
    public List<RecordedRequest> drain() {
        List<RecordedRequest> out = new ArrayList<>();
        try {
            RecordedRequest r;
            while ((r = server.takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
                out.add(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    public static boolean isWrite(RecordedRequest r) {
        return switch (r.getMethod()) {
            case "POST", "PUT", "PATCH", "DELETE" -> true;
            default -> false;
        };
    }

    public static String describe(RecordedRequest r) {
        return r.getMethod() + " " + r.getPath();
    }
}
