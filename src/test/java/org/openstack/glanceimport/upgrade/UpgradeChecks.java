package org.openstack.glanceimport.upgrade;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What an upgrade must not do, as pure functions of what the test read before and after (UpgradeChecksTest shows each
 * one failing): change a user's spec beyond the new schema's defaults, and replace a pod more than once.
 */
final class UpgradeChecks {

    private UpgradeChecks() {
    }

    /** JSON pointers where two trees part, at the shallowest level, each "added", "removed" or "changed". */
    static Map<String, String> differences(JsonNode was, JsonNode now) {
        Map<String, String> out = new TreeMap<>();
        differences("", was, now, out);
        return out;
    }

    private static void differences(String at, JsonNode was, JsonNode now, Map<String, String> out) {
        if (was.isObject() && now.isObject()) {
            List<String> names = new ArrayList<>();
            was.fieldNames().forEachRemaining(names::add);
            now.fieldNames().forEachRemaining(n -> {
                if (!was.has(n)) {
                    names.add(n);
                }
            });
            for (String name : names) {
                String path = at + "/" + name.replace("~", "~0").replace("/", "~1");
                if (!now.has(name)) {
                    out.put(path, "removed");
                } else if (!was.has(name)) {
                    out.put(path, "added");
                } else {
                    differences(path, was.get(name), now.get(name), out);
                }
            }
        } else if (was.isArray() && now.isArray() && was.size() == now.size()) {
            for (int i = 0; i < was.size(); i++) {
                differences(at + "/" + i, was.get(i), now.get(i), out);
            }
        } else if (!was.equals(now)) {
            out.put(at, "changed");
        }
    }

    /**
     * How a user's spec changed across the upgrade, but for fields the new CRD's schema ({@code schema}: the spec's
     * openAPIV3Schema) fills in with its defaults where the user set nothing (the API server adds them when it reads
     * the stored object; that is no change of what the user asked). A field the new schema no longer has is pruned
     * when the stored object is read, and shows here as "removed"; a value changed by anyone as "changed".
     */
    static List<String> specChanges(JsonNode before, JsonNode after, JsonNode schema) {
        List<String> changes = new ArrayList<>();
        differences(before, after).forEach((path, how) -> {
            if (!("added".equals(how) && defaulted(schemaAt(schema, path), at(after, path)))) {
                changes.add(how + " " + path);
            }
        });
        return changes;
    }

    /** The fields the schema defaulted, with their values (for the report). */
    static Map<String, JsonNode> defaultsAdded(JsonNode before, JsonNode after) {
        Map<String, JsonNode> added = new TreeMap<>();
        differences(before, after).forEach((path, how) -> {
            if ("added".equals(how)) {
                added.put(path, at(after, path));
            }
        });
        return added;
    }

    /** True if {@code value} is what the schema's defaults alone produce at this node. */
    private static boolean defaulted(JsonNode schema, JsonNode value) {
        if (schema == null || value == null) {
            return false;
        }
        if (schema.has("default")) {
            JsonNode d = schema.get("default");
            if (d.equals(value)) {
                return true;
            }
            if (!(d.isObject() && value.isObject())) {
                return false;
            }
        } else if (!value.isObject()) {
            return false;
        }
        // an object the defaults made: each field is the default's own or defaulted further down
        JsonNode d = schema.path("default");
        var fields = value.fields();
        while (fields.hasNext()) {
            var f = fields.next();
            if (!(f.getValue().equals(d.get(f.getKey())) || defaulted(schema.path("properties").get(f.getKey()), f.getValue()))) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode schemaAt(JsonNode schema, String pointer) {
        JsonNode node = schema;
        for (String step : pointer.substring(1).split("/")) {
            if (node == null) {
                return null;
            }
            node = step.matches("\\d+") && node.has("items") ? node.get("items")
                    : node.path("properties").get(step.replace("~1", "/").replace("~0", "~"));
        }
        return node;
    }

    private static JsonNode at(JsonNode tree, String pointer) {
        JsonNode n = tree.at(pointer);
        return n.isMissingNode() ? null : n;
    }

    /** The pods that were replaced more than once: name to the uids it had, in order. */
    static Map<String, List<String>> replacedMoreThanOnce(Map<String, List<String>> uidsByPod) {
        Map<String, List<String>> out = new TreeMap<>();
        uidsByPod.forEach((pod, uids) -> {
            if (uids.size() > 2) {
                out.put(pod, uids);
            }
        });
        return out;
    }
}
