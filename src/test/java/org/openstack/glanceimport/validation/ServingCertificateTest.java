package org.openstack.glanceimport.validation;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Host matching as the peers' TLS clients do it: a wildcard stands for exactly one left-most label. */
class ServingCertificateTest {

    private static ServingCertificate cert(String file) throws Exception {
        return ServingCertificate.parse(Files.readString(Path.of("src/test/resources/tls", file))).orElseThrow();
    }

    @Test
    void wildcardCoversEveryPodOfTheHeadlessServiceAndNothingDeeperOrBeside() throws Exception {
        ServingCertificate wildcard = cert("wildcard.crt");
        assertTrue(wildcard.covers("glance-tls-0.glance-tls-headless.tls.svc"));
        assertTrue(wildcard.covers("GLANCE-TLS-31.glance-tls-headless.tls.svc"), "DNS names are case-insensitive");
        assertTrue(wildcard.covers("glance-tls.tls.svc"));
        assertFalse(wildcard.covers("a.b.glance-tls-headless.tls.svc"), "a wildcard is one label only");
        assertFalse(wildcard.covers("glance-tls-headless.tls.svc"), "nor zero labels");
        assertFalse(wildcard.covers("glance-tls-0.glance-tls-headless.other.svc"));
        assertTrue(wildcard.notAfter().toString().startsWith("2126-"));
    }

    @Test
    void exactNamesCoverOnlyThemselves() throws Exception {
        ServingCertificate narrow = cert("narrow.crt");
        assertEquals(java.util.List.of("glance-tls-0.glance-tls-headless.tls.svc"), narrow.dnsNames());
        assertTrue(narrow.covers("glance-tls-0.glance-tls-headless.tls.svc"));
        assertFalse(narrow.covers("glance-tls-1.glance-tls-headless.tls.svc"));
    }

    @Test
    void trustFollowsSignaturesUpThroughTheIntermediatesThatCameWithTheCertificate() throws Exception {
        var ca = ServingCertificate.certificates(Files.readString(Path.of("src/test/resources/tls/ca.crt")));
        var other = ServingCertificate.certificates(Files.readString(Path.of("src/test/resources/tls/other-ca.crt")));
        assertTrue(cert("wildcard.crt").trustedBy(ca));
        assertFalse(cert("wildcard.crt").trustedBy(other));
        assertTrue(cert("chained.crt").trustedBy(ca), "leaf + intermediate, the intermediate signed by the CA");
        String leafOnly = Files.readString(Path.of("src/test/resources/tls/chained.crt")).split("(?<=-----END CERTIFICATE-----\n)")[0];
        assertFalse(ServingCertificate.parse(leafOnly).orElseThrow().trustedBy(ca), "without its intermediate the chain breaks");
        java.util.List<java.security.cert.X509Certificate> both = new java.util.ArrayList<>(other);
        both.addAll(ca);
        assertTrue(cert("wildcard.crt").trustedBy(both), "a bundle with several CAs");
    }

    @Test
    void garbageIsNoCertificate() {
        assertTrue(ServingCertificate.parse("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n").isEmpty());
        assertTrue(ServingCertificate.certificates("").isEmpty());
    }
}
