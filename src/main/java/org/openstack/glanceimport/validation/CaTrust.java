package org.openstack.glanceimport.validation;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An SSLContext that trusts exactly the CAs of a PEM bundle (a Secret's ca.crt) and not the JVM's defaults: a user who
 * names a CA for an endpoint means that one, and a certificate from any public CA must not pass for it.
 */
public final class CaTrust {

    private CaTrust() {
    }

    /** @throws IllegalArgumentException when the bundle holds no certificate (the message names no content) */
    public static SSLContext sslContext(String pem) {
        List<X509Certificate> cas = ServingCertificate.certificates(pem);
        if (cas.isEmpty()) {
            throw new IllegalArgumentException("the CA bundle holds no PEM certificate");
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("the CA bundle cannot be used: " + e.getClass().getSimpleName());
        }
    }
}
