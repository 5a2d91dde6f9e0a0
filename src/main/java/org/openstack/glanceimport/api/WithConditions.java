package org.openstack.glanceimport.api;

import java.util.List;

import io.fabric8.kubernetes.api.model.Condition;

/** Lets one condition helper serve both resources' statuses. */
public interface WithConditions {
    List<Condition> getConditions();
}
