package org.openstack.glanceimport.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IniTest {

    @ParameterizedTest
    @ValueSource(strings = { "a\nb", "a\r\nworker_self_reference_url = http://evil", "x\u2028y", "nul\0", "\n[DEFAULT]" })
    void valuesThatWouldStartANewLineAreRejected(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Ini().set("DEFAULT", "k", value));
        assertTrue(e.getMessage().contains("[DEFAULT] k"), e.getMessage());
    }

    @Test
    void dollarSignsAreEscapedForOsloInterpolation() {
        assertEquals("[database]\nconnection = p$$ss\n", new Ini().set("database", "connection", "p$ss").render());
    }

    @Test
    void rendersSectionsInInsertionOrder() {
        String out = new Ini().set("b", "x", "1").set("a", "y", true).setList("b", "z", java.util.List.of("p", "q")).render();
        assertEquals("[b]\nx = 1\nz = [p,q]\n\n[a]\ny = true\n", out);
    }

    @Test
    void parsesOsloStyleIni() throws Exception {
        Ini ini = Ini.parse("# comment\n[DEFAULT]\ndebug = true\nlog_file: /x\n[glance_store]\nstores = a,\n  b\n");
        assertEquals("true", ini.get("DEFAULT", "debug").orElseThrow());
        assertEquals("/x", ini.get("DEFAULT", "log_file").orElseThrow());
        assertEquals("a,\nb", ini.get("glance_store", "stores").orElseThrow());
    }

    @Test
    void parseErrorsNameTheLine() {
        Ini.IniSyntaxException e = assertThrows(Ini.IniSyntaxException.class, () -> Ini.parse("[DEFAULT]\ndebug\n"));
        assertEquals("line 2: expected 'key = value', found 'debug'", e.getMessage());
        e = assertThrows(Ini.IniSyntaxException.class, () -> Ini.parse("debug = true\n"));
        assertTrue(e.getMessage().startsWith("line 1: option 'debug = true' appears before any [section]"));
        e = assertThrows(Ini.IniSyntaxException.class, () -> Ini.parse("[DEFAULT\n"));
        assertTrue(e.getMessage().contains("malformed section header"));
    }
}
