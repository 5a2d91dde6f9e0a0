package org.openstack.glanceimport.api.exposure;

/** An IP family of the Service. */
public enum IpFamily {
    IPv4, IPv6
}
