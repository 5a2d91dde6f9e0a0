package org.openstack.glanceimport.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** A stable digest of everything a pod reads at start, so a change rolls the pods and no change rolls nothing. */
public final class ConfigHash {

    private final MessageDigest digest;

    public ConfigHash() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds a map in key order with unambiguous framing, so {a=bc} and {ab=c} differ. */
    public ConfigHash add(String label, Map<String, String> entries) {
        update(label);
        new TreeMap<>(entries).forEach((k, v) -> {
            update(k);
            update(v == null ? "" : v);
        });
        return this;
    }

    private void update(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(bytes);
    }

    public String value() {
        return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    }
}
