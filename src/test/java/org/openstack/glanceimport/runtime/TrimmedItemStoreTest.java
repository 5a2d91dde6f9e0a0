package org.openstack.glanceimport.runtime;

import java.util.List;
import java.util.Set;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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

    /** The field set JOSDK matches against is the same set, read from shared keys, whatever object it came from. */
    @Test
    void theOwnFieldSetIsKeptWhole() {
        String json = "{\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"glance-api\\\"}\":"
                + "{\".\":{},\"f:image\":{},\"f:name\":{}}}}}}}";
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> read = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(json, java.util.Map.class);
        StatefulSet a = sts(new ManagedFieldsEntryBuilder().withManager("glanceapi").withOperation("Apply").withNewFieldsV1()
                .withAdditionalProperties(read).endFieldsV1().build());
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> readAgain = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(json, java.util.Map.class);
        StatefulSet b = sts(new ManagedFieldsEntryBuilder().withManager("glanceapi").withOperation("Apply").withNewFieldsV1()
                .withAdditionalProperties(readAgain).endFieldsV1().build());
        var kept = TrimmedItemStore.trim(a).getMetadata().getManagedFields().get(0).getFieldsV1().getAdditionalProperties();
        assertEquals(read, kept);
        assertEquals(read, io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                io.fabric8.kubernetes.client.utils.Serialization.asJson(kept), java.util.Map.class), "serialized as read");
        var other = TrimmedItemStore.trim(b).getMetadata().getManagedFields().get(0).getFieldsV1().getAdditionalProperties();
        org.junit.jupiter.api.Assertions.assertSame(kept.keySet().iterator().next(), other.keySet().iterator().next(),
                "one String per field name, not one per object");
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
