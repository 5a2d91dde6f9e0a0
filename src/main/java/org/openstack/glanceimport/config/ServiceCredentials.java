package org.openstack.glanceimport.config;

/** Credentials read from the user's Secrets; only ever rendered into the operator's Secret. */
public record ServiceCredentials(Database database, Keystone keystone) {

    public record Database(String host, int port, String name, String username, String password) {
        @Override
        public String toString() {
            return "Database[" + username + "@" + host + ":" + port + "/" + name + "]";
        }
    }

    public record Keystone(String authUrl, String username, String password, String projectName, String userDomainName,
            String projectDomainName, String regionName) {
        @Override
        public String toString() {
            return "Keystone[" + username + "@" + authUrl + "]";
        }
    }
}
