package org.openstack.glanceimport.support;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPIStatus;

class StatusConditionsTest {

    @Test
    void aMissingGlanceApiStatusOrConditionIsNoCondition() {
        assertNull(StatusConditions.find(null, "Ready"));
        GlanceAPI api = new GlanceAPI();
        api.getMetadata().setNamespace("ns");
        api.getMetadata().setName("glance");
        assertFalse(StatusConditions.isTrue(api, "Ready"));
        api.setStatus(new GlanceAPIStatus());
        api.getStatus().conditions.add(new ConditionBuilder().withType("ConfigReady").withStatus("False").build());
        assertNull(StatusConditions.find(api, "Ready"));
        AssertionError missing = assertThrows(AssertionError.class, () -> StatusConditions.get(api, "Ready"));
        assertEquals("no condition Ready on GlanceAPI ns/glance; it has [ConfigReady=False]", missing.getMessage());
    }

    @Test
    void theConditionOfItsTypeAndWhetherItIsTrue() {
        GlanceAPI api = new GlanceAPI();
        api.setStatus(new GlanceAPIStatus());
        api.getStatus().conditions.add(new ConditionBuilder().withType("ConfigReady").withStatus("False").withReason("SecretNotFound").build());
        api.getStatus().conditions.add(new ConditionBuilder().withType("Ready").withStatus("True").build());
        assertEquals("SecretNotFound", StatusConditions.get(api, "ConfigReady").getReason());
        assertFalse(StatusConditions.isTrue(api, "ConfigReady"));
        assertTrue(StatusConditions.isTrue(api, "Ready"));
    }
}
