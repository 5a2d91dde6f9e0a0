package org.openstack.glanceimport.api.stranded;

/** What the operator does with an image staged on a pod that is gone for good. */
public enum StrandedImagePolicy {
    /** Status, condition, Event and metric only: an administrator decides. */
    Report,
    /** Also delete it through the Glance API, once it has been stranded for the grace period. */
    Delete
}
