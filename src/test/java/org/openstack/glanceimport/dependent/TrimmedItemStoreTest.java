package org.openstack.glanceimport.dependent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;

import org.junit.jupiter.api.Test;
import org.openstack.glanceimport.controller.GlanceApiReconciler;
import org.openstack.glanceimport.controller.GlanceImportStagingReconciler;

/** What the caches keep of managedFields: exactly what JOSDK's server-side-apply matcher reads. */
class TrimmedItemStoreTest {

    private static ManagedFieldsEntry entry(String manager, String operation) {
        return new ManagedFieldsEntryBuilder().withManager(manager).withOperation(operation).withNewFieldsV1()
                .addToAdditionalProperties("f:spec", java.util.Map.of()).endFieldsV1().build();
    }

    private static StatefulSet sts(ManagedFieldsEntry... entries) {
        return new StatefulSetBuilder().withNewMetadata().withName("glance").withNamespace("ns").withManagedFields(entries)
                .endMetadata().build();
    }

    @Test
    void keepsTheOperatorsOwnAppliesOnly() {
        ManagedFieldsEntry own = entry(GlanceApiReconciler.NAME, "Apply");
        StatefulSet sts = sts(entry("kube-controller-manager", "Update"), own, entry("kubectl-client-side-apply", "Update"),
                entry("glanceapi", "Update"), entry("someone-else", "Apply"));
        TrimmedItemStore<StatefulSet> store = new TrimmedItemStore<>();
        store.put(store.getKey(sts), sts);
        assertEquals(List.of(own), store.get("ns/glance").getMetadata().getManagedFields());
    }

    @Test
    void anObjectTheOperatorNeverAppliedKeepsNone() {
        StatefulSet sts = sts(entry("kubectl-create", "Update"));
        assertNull(TrimmedItemStore.trim(sts).getMetadata().getManagedFields());
    }

    /** JOSDK applies as the controller's name (no fieldManager set): the store must keep those very entries. */
    @Test
    void theOwnManagersAreTheControllers() {
        assertEquals(Set.of(GlanceApiReconciler.NAME, GlanceImportStagingReconciler.NAME), TrimmedItemStore.OWN_MANAGERS);
    }
}
