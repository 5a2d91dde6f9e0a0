package org.openstack.glanceimport.support.kube;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.inject.Qualifier;

/**
 * The client the tests act with, as a user or a stand-in controller would: its requests carry their own user agent, so
 * what the operator sent can be told apart from them (OperatorRequestsTest checks the operator's against its RBAC).
 */
@Qualifier
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE })
public @interface AsUser {
}
