package org.openstack.glanceimport.plan;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * What the dependents did on their own initiative during the workflow (deleted a claim, replaced the StatefulSet),
 * collected for the status writer, which announces it as Events once the workflow has run.
 */
public final class News {

    public record Item(HasMetadata about, String reason, String message) {
    }

    private final List<Item> items = new ArrayList<>();

    /** Dependents run on the workflow's threads, several at a time. */
    public synchronized void normal(HasMetadata about, String reason, String message) {
        items.add(new Item(about, reason, message));
    }

    /** What was collected since the last call, in order. */
    public synchronized List<Item> take() {
        List<Item> taken = List.copyOf(items);
        items.clear();
        return taken;
    }
}
