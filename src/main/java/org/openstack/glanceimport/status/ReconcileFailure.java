package org.openstack.glanceimport.status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;

/**
 * What a failed reconcile tells the user, in the condition and the Event: which object the API server refused, its
 * reason and the field, as {@code kubectl} would show them. Never an exception class or a stack trace (JOSDK's
 * aggregated message carries both).
 */
public record ReconcileFailure(String reason, String message) {

    static final int MAX_MESSAGE = 1024;

    public static ReconcileFailure of(Exception e) {
        Set<String> parts = new LinkedHashSet<>();
        boolean refused = false;
        for (Map.Entry<String, Throwable> failure : failures(e).entrySet()) {
            KubernetesClientException kce = clientException(failure.getValue());
            if (kce != null && kce.getStatus() != null && kce.getCode() >= 400 && kce.getCode() < 500) {
                parts.add(refusal(kce.getStatus(), kce.getCode()));
                refused = true;
            } else {
                parts.add(failure.getKey() + ": " + describe(failure.getValue()));
            }
        }
        String message = String.join("; ", parts);
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE - 3) + "...";
        }
        return new ReconcileFailure(refused ? "APIServerRefused" : "ReconcileError", message);
    }

    /** Each failed dependent by name (JOSDK aggregates them), else the failure itself. */
    private static Map<String, Throwable> failures(Exception e) {
        Map<String, Throwable> out = new LinkedHashMap<>();
        for (Throwable c : causes(e)) {
            if (c instanceof AggregatedOperatorException agg && !agg.getAggregatedExceptions().isEmpty()) {
                agg.getAggregatedExceptions().forEach((dependent, cause) -> out.put("dependent " + dependent, cause));
                return out;
            }
        }
        out.put("reconcile", e);
        return out;
    }

    /** The throwable and its causes, outermost first. */
    private static List<Throwable> causes(Throwable t) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable c = t; c != null && !chain.contains(c); c = c.getCause()) {
            chain.add(c);
        }
        return chain;
    }

    private static KubernetesClientException clientException(Throwable t) {
        return causes(t).stream().filter(KubernetesClientException.class::isInstance).map(KubernetesClientException.class::cast)
                .findFirst().orElse(null);
    }

    /** "the API server refused Job ns/x-db-sync-1 (422 Invalid): metadata.labels: Invalid value: ...". */
    static String refusal(Status status, int code) {
        String object = "an object";
        if (status.getDetails() != null && status.getDetails().getKind() != null) {
            object = status.getDetails().getKind() + " " + status.getDetails().getName();
        }
        List<String> causes = new ArrayList<>();
        if (status.getDetails() != null && status.getDetails().getCauses() != null) {
            for (StatusCause cause : status.getDetails().getCauses()) {
                causes.add((cause.getField() == null ? "" : cause.getField() + ": ") + cause.getMessage());
            }
        }
        String why = causes.isEmpty() ? status.getMessage() : String.join("; ", causes);
        return "the API server refused " + object + " (" + code + (status.getReason() == null ? "" : " " + status.getReason()) + "): "
                + why;
    }

    /** The innermost message: the one that says what went wrong, not how it surfaced. */
    private static String describe(Throwable t) {
        String message = null;
        for (Throwable c : causes(t)) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                message = c.getMessage();
            }
        }
        if (message == null) {
            return "unexpected failure (the operator log has the details)";
        }
        return message.strip().lines().findFirst().orElse(message);
    }
}
