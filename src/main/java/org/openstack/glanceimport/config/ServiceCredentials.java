package org.openstack.glanceimport.config;

/** Credentials read from the user's Secrets; only ever rendered into the operator's Secret. */
public record ServiceCredentials(Database database, Keystone keystone) {

    /** {@code caPem}: the CA bundle the server's certificate is verified with (spec.databaseTLS), null for no TLS. */
    public record Database(String host, int port, String name, String username, String password, String caPem) {

        public Database(String host, int port, String name, String username, String password) {
            this(host, port, name, username, password, null);
        }

        public Database withCa(String pem) {
            return new Database(host, port, name, username, password, pem);
        }

        public boolean tls() {
            return caPem != null;
        }

        /** host:port, an IPv6 address in brackets: in URLs and in the messages that name the database. */
        public String address() {
            return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
        }

        @Override
        public String toString() {
            return "Database[" + username + "@" + host + ":" + port + "/" + name + (tls() ? ", tls" : "") + "]";
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
