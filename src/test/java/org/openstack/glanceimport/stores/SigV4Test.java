package org.openstack.glanceimport.stores;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The signer against AWS's published examples, value for value. */
class SigV4Test {

    @Test
    void signingKeyMatchesTheAwsDocumentationExample() {
        // "Examples of how to derive a signing key for Signature Version 4" (IAM, 20120215, us-east-1)
        assertEquals("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d",
                SigV4.hex(SigV4.signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam")));
    }

    @Test
    void signatureMatchesTheS3GetObjectExample() {
        // S3's "Signature Calculations for the Authorization Header" example: GET /test.txt with a Range header
        SigV4 signer = new SigV4("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1", "s3");
        Map<String, String> headers = Map.of("host", "examplebucket.s3.amazonaws.com", "range", "bytes=0-9",
                "x-amz-content-sha256", SigV4.EMPTY_SHA256, "x-amz-date", "20130524T000000Z");
        assertEquals("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
                signer.authorization("GET", "/test.txt", null, headers, "20130524T000000Z"));
    }

    @Test
    void signsTheHostTheJdkClientSends() {
        SigV4 signer = new SigV4("AK", "SK", "us-east-1", "s3");
        Instant t = Instant.parse("2013-05-24T00:00:00Z");
        assertEquals("20130524T000000Z", signer.sign("GET", URI.create("https://b.s3.amazonaws.com/?location"), t).get("x-amz-date"));
        assertEquals("rgw:7480", SigV4.hostHeader(URI.create("http://rgw:7480/b")));
        assertEquals("s3.example.com", SigV4.hostHeader(URI.create("https://s3.example.com:443/b")));
        assertEquals("s3.example.com:80", SigV4.hostHeader(URI.create("https://s3.example.com:80/b")));
    }

    @Test
    void queriesAreSortedAndStrictlyEncoded() {
        assertEquals("location=", SigV4.canonicalQuery("location"));
        assertEquals("a=x%2By&b=%20&prefix=J", SigV4.canonicalQuery("prefix=J&b=%20&a=x+y"));
        assertEquals("", SigV4.canonicalQuery(null));
    }

    @Test
    void theSignerNeverPrintsItsKeys() {
        String shown = new SigV4("AKIDEXAMPLE", "SECRETEXAMPLE", "us-east-1", "s3").toString();
        assertFalse(shown.contains("AKIDEXAMPLE") || shown.contains("SECRETEXAMPLE"), shown);
    }
}
