package org.openstack.glanceimport.glance;

/** How a delete through the Glance API ended. {@code detail} never carries a credential. */
public record ImageDeletion(Outcome outcome, String detail) {

    public enum Outcome {
        /** 204: Glance deleted it. */
        DELETED,
        /** 404: nobody needs to any more. */
        ALREADY_GONE,
        /** Keystone refused the service user's credentials. */
        CREDENTIALS_REJECTED,
        /** Glance answered, but refused (403: protected image or policy; 409: state). */
        REFUSED,
        /**
         * Glance answered 5xx to the delete of a staged image. Glance (25.1, and master as of 2026) forwards such a delete to
         * the image's stage host and means to delete locally when that host cannot be reached, but catches only
         * requests' exceptions while its keystoneauth client raises its own: a gone stage host makes every delete fail.
         */
        STAGE_HOST_GONE,
        /** Keystone or Glance could not be reached, or answered an error. */
        UNREACHABLE
    }

    public boolean done() {
        return outcome == Outcome.DELETED || outcome == Outcome.ALREADY_GONE;
    }
}
