package org.openstack.glanceimport.config;

import java.util.Map;

/**
 * What the stores' Secrets hold, as read by the inputs: rendered only into the operator's Secret. No toString shows a
 * value, should one end up in a log line.
 *
 * @param cephConfs each Ceph Secret's ceph.conf, by Secret name
 * @param s3 the s3 stores' credentials, by store name
 * @param swift the swift stores' credentials, by store name
 */
public record StoreCredentials(Map<String, String> cephConfs, Map<String, S3> s3, Map<String, Swift> swift) {

    public static final StoreCredentials NONE = new StoreCredentials(Map.of(), Map.of(), Map.of());

    /** @param ca PEM bundle the endpoint's certificate is verified with, or null for the system's */
    public record S3(String accessKey, String secretKey, String ca) {
        @Override
        public String toString() {
            return "S3[ca=" + (ca != null) + "]";
        }
    }

    /** @param projectName null with auth version 1, where user is the whole account:user name */
    public record Swift(String user, String key, String projectName, String userDomainName, String projectDomainName, String ca) {
        @Override
        public String toString() {
            return "Swift[" + user + ", ca=" + (ca != null) + "]";
        }
    }

    @Override
    public String toString() {
        return "StoreCredentials[ceph=" + cephConfs.keySet() + ", s3=" + s3 + ", swift=" + swift + "]";
    }
}
