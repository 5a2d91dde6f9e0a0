package org.openstack.glanceimport.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ordered ini document as oslo.config reads it. Values are checked on the way in, so no user string can end a line
 * and smuggle in another option or section (ini injection).
 */
public final class Ini {

    private final Map<String, Map<String, String>> sections = new LinkedHashMap<>();

    public Ini set(String section, String key, String value) {
        requireSingleLine(section, "section name");
        requireSingleLine(key, "key");
        requireSingleLine(value, "value of [" + section + "] " + key);
        sections.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(key, value);
        return this;
    }

    public Ini set(String section, String key, boolean value) {
        return set(section, key, Boolean.toString(value));
    }

    public Ini set(String section, String key, long value) {
        return set(section, key, Long.toString(value));
    }

    /** oslo.config list syntax. */
    public Ini setList(String section, String key, List<String> values) {
        return set(section, key, "[" + String.join(",", values) + "]");
    }

    public Optional<String> get(String section, String key) {
        return Optional.ofNullable(sections.getOrDefault(section, Map.of()).get(key));
    }

    public Map<String, Map<String, String>> sections() {
        return sections;
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        sections.forEach((section, entries) -> {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append('[').append(section).append("]\n");
            // oslo.config expands $name in values; a literal $ (e.g. in a password) must be doubled
            entries.forEach((k, v) -> out.append(k).append(" = ").append(v.replace("$", "$$")).append('\n'));
        });
        return out.toString();
    }

    static void requireSingleLine(String s, String what) {
        if (s == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029' || c == '\0') {
                throw new IllegalArgumentException(what + " contains a line break or NUL; it would inject ini lines");
            }
        }
    }

    /**
     * Parses user-written ini the way oslo.config's parser does for the parts that matter here: sections, key = value or
     * key: value, comments, continuation lines. Errors name the line.
     */
    public static Ini parse(String text) throws IniSyntaxException {
        Ini ini = new Ini();
        String section = null;
        String lastKey = null;
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String raw = lines[n];
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (Character.isWhitespace(raw.charAt(0)) && lastKey != null) {
                // oslo.config continuation line: belongs to the previous value
                String prev = ini.sections.get(section).get(lastKey);
                ini.sections.get(section).put(lastKey, prev + "\n" + line);
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]") || line.length() < 3) {
                    throw new IniSyntaxException(n + 1, "malformed section header '" + line + "'");
                }
                section = line.substring(1, line.length() - 1).strip();
                ini.sections.computeIfAbsent(section, s -> new LinkedHashMap<>());
                lastKey = null;
                continue;
            }
            if (section == null) {
                throw new IniSyntaxException(n + 1, "option '" + line + "' appears before any [section]");
            }
            int eq = indexOfSeparator(line);
            if (eq <= 0) {
                throw new IniSyntaxException(n + 1, "expected 'key = value', found '" + line + "'");
            }
            lastKey = line.substring(0, eq).strip();
            ini.sections.get(section).put(lastKey, line.substring(eq + 1).strip());
        }
        return ini;
    }

    private static int indexOfSeparator(String line) {
        int eq = line.indexOf('=');
        int colon = line.indexOf(':');
        if (eq < 0) {
            return colon;
        }
        return colon < 0 ? eq : Math.min(eq, colon);
    }

    public static final class IniSyntaxException extends Exception {
        private final int line;

        public IniSyntaxException(int line, String message) {
            super("line " + line + ": " + message);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    /** Section and key pairs, for error messages. */
    public List<String> keys() {
        List<String> out = new ArrayList<>();
        sections.forEach((s, e) -> e.keySet().forEach(k -> out.add("[" + s + "] " + k)));
        return out;
    }
}
