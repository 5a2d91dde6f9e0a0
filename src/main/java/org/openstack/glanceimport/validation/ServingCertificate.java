package org.openstack.glanceimport.validation;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The serving certificate of a GlanceAPI, checked before any pod uses it: pods proxy imports to each other by their
 * per-pod DNS names and verify the certificate, so a certificate that misses one of those names breaks imports only
 * later and only on some pods. Better to say so now, naming the missing host.
 */
public final class ServingCertificate {

    private final X509Certificate cert;
    /** The intermediates that came with it in tls.crt. */
    private final List<X509Certificate> chain;

    private ServingCertificate(List<X509Certificate> chain) {
        this.cert = chain.get(0);
        this.chain = chain.subList(1, chain.size());
    }

    /** The first certificate of a PEM chain (the leaf), or empty when there is none that parses. */
    public static Optional<ServingCertificate> parse(String pem) {
        List<X509Certificate> chain = certificates(pem);
        return chain.isEmpty() ? Optional.empty() : Optional.of(new ServingCertificate(chain));
    }

    /** Every certificate in a PEM bundle; empty when it holds none. */
    public static List<X509Certificate> certificates(String pem) {
        try {
            Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            return all.stream().filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast).toList();
        } catch (CertificateException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * Whether a peer trusting only {@code cas} accepts this certificate: it, or an intermediate it came with, is signed
     * by one of them. Names and dates are checked elsewhere; this is only the signatures.
     */
    public boolean trustedBy(List<X509Certificate> cas) {
        X509Certificate current = cert;
        for (int depth = 0; depth <= chain.size(); depth++) {
            for (X509Certificate ca : cas) {
                if (signedBy(current, ca)) {
                    return true;
                }
            }
            X509Certificate child = current;
            Optional<X509Certificate> parent = chain.stream().filter(c -> signedBy(child, c)).findFirst();
            if (parent.isEmpty()) {
                return false;
            }
            current = parent.get();
        }
        return false;
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
        if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public Instant notAfter() {
        return cert.getNotAfter().toInstant();
    }

    /** DNS subject alternative names; a certificate without them matches no host (clients ignore the CN). */
    public List<String> dnsNames() {
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans == null) {
                return List.of();
            }
            return sans.stream().filter(san -> Integer.valueOf(2).equals(san.get(0))).map(san -> san.get(1).toString()).toList();
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    /** RFC 6125 matching as Python's ssl does it: exact, or a wildcard standing for exactly the left-most label. */
    public boolean covers(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return dnsNames().stream().map(n -> n.toLowerCase(Locale.ROOT)).anyMatch(name -> name.equals(h)
                || (name.startsWith("*.") && h.indexOf('.') > 0 && h.substring(h.indexOf('.')).equals(name.substring(1))));
    }
}
