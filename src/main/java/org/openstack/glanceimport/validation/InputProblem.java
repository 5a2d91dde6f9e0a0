package org.openstack.glanceimport.validation;

/**
 * Why a resource cannot be rendered: the reason is a CamelCase word for conditions and Events, the field names the path
 * the user must fix, the message says what is wrong without ever quoting a secret value.
 */
public record InputProblem(String reason, String field, String message) {

    public String describe() {
        return field + ": " + message;
    }
}
