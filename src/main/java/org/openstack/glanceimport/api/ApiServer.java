package org.openstack.glanceimport.api;

/**
 * The server that runs glance-api in each pod. Glance 32 deprecated its own eventlet server and Glance 33 removed it, so
 * the image's WSGI servers are the default; eventlet stays for images whose Glance predates WSGI-only import.
 */
public enum ApiServer {
    /** httpd with mod_wsgi, as the podified (CentOS) images carry it; the default. */
    httpd,
    /** uWSGI with its python3 plugin, as Debian's and Ubuntu's Glance packages run it. */
    uwsgi,
    /** Glance's own eventlet server (glance-api): Glance 31 and older only. */
    eventlet;

    public boolean wsgi() {
        return this != eventlet;
    }
}
