package org.openstack.glanceimport.api.keystone;

/** How the catalogue entries are made: keystone-operator's objects where served (Auto), or always one way. */
public enum RegistrationMethod {
    Auto, KeystoneAPI, KeystoneOperator
}
