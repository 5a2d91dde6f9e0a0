package org.openstack.glanceimport.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.stores.Store;

/**
 * Where the pods find each Ceph cluster's configuration and keyrings. With one Ceph Secret, /etc/ceph is laid out as
 * librados expects by default (ceph.conf, ceph.client.&lt;user&gt;.keyring), the layout of the operator's releases that
 * allowed one Secret only: their GlanceAPIs upgrade without a roll. With several, each Secret gets /etc/ceph/&lt;secret&gt;/,
 * and since librados would look for keyrings in /etc/ceph only, the operator renders each Secret's ceph.conf with a
 * [client.&lt;user&gt;] keyring line per user of that Secret's stores.
 */
public final class CephLayout {

    private CephLayout() {
    }

    /** One Secret (or none): the user's ceph.conf is mounted as it is. */
    public static boolean asIs(GlanceAPISpec spec) {
        return spec.rbdStoresBySecret().size() <= 1;
    }

    public static String dir(GlanceAPISpec spec, String secretName) {
        return asIs(spec) ? GlancePaths.CEPH_DIR : GlancePaths.CEPH_DIR + "/" + secretName;
    }

    /** rbd_store_ceph_conf of the stores on this Secret. */
    public static String conf(GlanceAPISpec spec, String secretName) {
        return dir(spec, secretName) + "/ceph.conf";
    }

    public static String keyring(GlanceAPISpec spec, String secretName, String user) {
        return dir(spec, secretName) + "/" + GlancePaths.cephKeyringFile(user);
    }

    /** The Ceph users of the stores on one Secret, each mounted as its own keyring file. */
    public static List<String> users(List<Store> stores) {
        return stores.stream().map(s -> s.rbd.user).distinct().sorted().toList();
    }

    /** The key of the operator's Secret holding the rendered ceph.conf of a Ceph Secret. */
    public static String renderedConfKey(String secretName) {
        return "ceph-" + secretName + ".conf";
    }

    /** The ceph.conf files the operator renders (none with one Secret), by their key in the operator's Secret. */
    public static Map<String, String> renderedConfs(GlanceAPISpec spec, Map<String, String> userConfs) {
        Map<String, String> confs = new LinkedHashMap<>();
        if (!asIs(spec)) {
            spec.rbdStoresBySecret().forEach((secret, stores) -> confs.put(renderedConfKey(secret),
                    withKeyrings(userConfs.get(secret), spec, secret, users(stores))));
        }
        return confs;
    }

    /**
     * Ceph merges a repeated section and its later value wins (checked with ceph-conf 16.2), so a keyring the user's file
     * names for the same client is overridden. The blank line ends a last value continued by a trailing backslash.
     */
    private static String withKeyrings(String userConf, GlanceAPISpec spec, String secret, List<String> users) {
        StringBuilder conf = new StringBuilder(userConf).append(userConf.endsWith("\n") ? "" : "\n")
                .append("\n# added by glance-import-operator: the keyrings as this pod mounts them\n");
        users.forEach(user -> conf.append("[client.").append(user).append("]\nkeyring = ").append(keyring(spec, secret, user)).append('\n'));
        return conf.toString();
    }
}
