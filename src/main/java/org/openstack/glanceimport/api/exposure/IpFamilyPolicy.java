package org.openstack.glanceimport.api.exposure;

/** The Service's ipFamilyPolicy. */
public enum IpFamilyPolicy {
    SingleStack, PreferDualStack, RequireDualStack
}
