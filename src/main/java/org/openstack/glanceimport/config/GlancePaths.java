package org.openstack.glanceimport.config;

import org.openstack.glanceimport.api.stores.Store;

/** Where things live inside a glance-api pod. The pod spec and the rendered ini must agree on these. */
public final class GlancePaths {

    /** Shipped by the glance-api image (and the Debian package) with the stock keystone pipeline. */
    public static final String PASTE_INI = "/etc/glance/glance-api-paste.ini";
    public static final String CONFIG_DIR = "/etc/glance/glance.conf.d";
    public static final String API_CONF = "00-glance-api.conf";
    public static final String IMPORT_CONF = "10-image-import.conf";
    public static final String CUSTOM_CONF = "20-custom.conf";
    public static final String SECRETS_CONF = "30-secrets.conf";
    public static final String POLICY_FILE = "policy.yaml";
    /**
     * Under WSGI Glance reads $OS_GLANCE_CONFIG_DIR/glance-api.conf (it must exist), then every *.conf of this directory:
     * the operator's files are read there, and this one only says so.
     */
    public static final String WSGI_CONFIG_FILE = "glance-api.conf";
    /** The WSGI application both servers load. */
    public static final String WSGI_ENTRY_POINT = "glance-api.wsgi";
    /** Not *.conf: Glance under WSGI would parse it as its own configuration. */
    public static final String HTTPD_CONF = "httpd.cfg";

    /** The staging claim is mounted here; Glance keeps staging, tasks and locks under it. */
    public static final String STATE_DIR = "/var/lib/glance";
    public static final String STAGING_DIR = STATE_DIR + "/os_glance_staging_store";
    public static final String TASKS_DIR = STATE_DIR + "/os_glance_tasks_store";
    public static final String FILE_STORE_DIR = STATE_DIR + "/images";
    public static final String LOCK_DIR = STATE_DIR + "/tmp";

    /** Shared file stores' claims, each at its store's name; outside STATE_DIR so they never nest in the staging claim. */
    public static final String SHARED_STORES_DIR = "/var/lib/glance-stores";

    /** The image cache claim; outside STATE_DIR so the two claims never nest. */
    public static final String CACHE_DIR = "/var/cache/glance";

    /** The TLS proxy's haproxy.cfg, certificate and key (key as tls.crt.key, where haproxy looks for it). */
    public static final String TLS_PROXY_DIR = "/etc/glance/tls-proxy";
    public static final String TLS_PROXY_CONF = "haproxy.cfg";
    /** The CA bundle glance-api verifies peers with, through REQUESTS_CA_BUNDLE. */
    public static final String TLS_CA_DIR = "/etc/glance/tls-ca";
    public static final String TLS_CA_FILE = TLS_CA_DIR + "/ca.crt";

    public static final String CEPH_DIR = "/etc/ceph";

    /** The swift stores' credentials (one section per store, named after it), a file of the operator's Secret. */
    public static final String SWIFT_REFERENCES = "swift-references.ini";
    /** Every s3 store's CA in one bundle, for boto3's AWS_CA_BUNDLE, a file of the operator's Secret. */
    public static final String S3_CA_BUNDLE = "s3-ca-bundle.crt";
    /** The CA Glance verifies its database's certificate with (spec.databaseTLS), a file of the operator's Secret. */
    public static final String DATABASE_CA = "database-ca.crt";

    public static final String HEALTHCHECK_PATH = "/healthcheck";

    private GlancePaths() {
    }

    /** Where a file store keeps images: its shared claim's mount, else a directory of the pod's own claim. */
    public static String fileStoreDir(Store store) {
        return (store.sharedClaim() != null ? SHARED_STORES_DIR : FILE_STORE_DIR) + "/" + store.name;
    }

    /** The files of the operator's ConfigMap and Secret that glance reads as --config-file; the others are data it points to. */
    public static boolean isGlanceConfig(String file) {
        return file.matches("\\d\\d-[a-z0-9-]+\\.conf");
    }

    /** A file of the pods' configuration directory (the operator's ConfigMap and Secret). */
    public static String configFile(String file) {
        return CONFIG_DIR + "/" + file;
    }

    /** The CA a store's endpoint is verified with, a file of the operator's Secret. */
    public static String storeCaFile(Store store) {
        return store.name + ".ca.crt";
    }

    public static String cephKeyringFile(String user) {
        return "ceph.client." + user + ".keyring";
    }
}
