package org.openstack.glanceimport.keystone;

/** Keystone refused a request (an HTTP status and Keystone's own message) or could not be reached (status 0). */
public final class KeystoneFailure extends Exception {

    private final int status;

    public KeystoneFailure(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** 401 and 403: the credentials or their role; retrying does not help until the Secret or the role changes. */
    public boolean refused() {
        return status == 401 || status == 403;
    }

    public boolean unreachable() {
        return status == 0;
    }
}
