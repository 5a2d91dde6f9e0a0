package org.openstack.glanceimport.upgrade;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The upgrade test's checks fail where an upgrade breaks something (UpgradeFromPreviousReleaseIT applies them). */
class UpgradeChecksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = """
            {"type":"object","properties":{
              "replicas":{"type":"integer","default":1},
              "importDrainSeconds":{"type":"integer","default":540},
              "probes":{"type":"object","default":{},"properties":{"readiness":{"type":"object","default":{},
                "properties":{"periodSeconds":{"type":"integer","default":10}}}}},
              "stores":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"},
                "default":{"type":"boolean","default":false}}}}}}""";

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void fieldsTheNewSchemaDefaultsAreNoChangeOfTheUsersSpec() throws Exception {
        JsonNode before = json("{\"replicas\":3,\"stores\":[{\"name\":\"ceph\"}]}");
        JsonNode after = json("{\"replicas\":3,\"importDrainSeconds\":540,\"probes\":{\"readiness\":{\"periodSeconds\":10}},"
                + "\"stores\":[{\"name\":\"ceph\",\"default\":false}]}");
        assertEquals(List.of(), UpgradeChecks.specChanges(before, after, json(SCHEMA)));
    }

    /**
     * A field the new CRD removed: the API server prunes it when it reads the stored object, so the user's spec loses
     * it silently; a user's value changed (by the operator or a default that overrode it) is as bad.
     */
    @Test
    void aRemovedOrChangedFieldIsAChange() throws Exception {
        JsonNode before = json("{\"replicas\":3,\"storageBackend\":{\"type\":\"rbd\"},\"importDrainSeconds\":60}");
        JsonNode after = json("{\"replicas\":1,\"importDrainSeconds\":60}");
        assertEquals(List.of("changed /replicas", "removed /storageBackend"), UpgradeChecks.specChanges(before, after, json(SCHEMA)));
        // a field added with another value than the schema's default was set by someone
        assertEquals(List.of("added /importDrainSeconds"), UpgradeChecks.specChanges(json("{}"), json("{\"importDrainSeconds\":0}"),
                json(SCHEMA)));
    }

    @Test
    void aPodReplacedTwiceIsReported() {
        Map<String, List<String>> seen = Map.of("glance-0", List.of("a", "b"), "glance-1", List.of("c", "d", "e"), "glance-2", List.of("f"));
        assertEquals(Map.of("glance-1", List.of("c", "d", "e")), UpgradeChecks.replacedMoreThanOnce(seen));
    }
}
