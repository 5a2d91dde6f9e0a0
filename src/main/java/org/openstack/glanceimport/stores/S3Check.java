package org.openstack.glanceimport.stores;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openstack.glanceimport.api.stores.S3Backend;
import org.openstack.glanceimport.validation.InputProblem;

/**
 * Whether Glance could use an S3 bucket: one signed GET ?location on it (GetBucketLocation), whose XML error code tells
 * a refused key from a missing or foreign bucket (a HEAD would answer 403 or 404 without saying why). Fields are
 * relative to the store ("s3.endpoint"); the caller prefixes them.
 */
final class S3Check {

    static final String DEFAULT_REGION = "us-east-1";
    private static final Pattern CODE = Pattern.compile("<Code>([^<]*)</Code>");
    private static final Pattern REGION = Pattern.compile("<Region>([^<]*)</Region>");
    private static final Set<String> REFUSED = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch");
    private static final Set<String> WRONG_REGION = Set.of("AuthorizationHeaderMalformed", "PermanentRedirect", "IncorrectEndpoint");

    private final StoreHttp http;

    S3Check(StoreHttp http) {
        this.http = http;
    }

    /** Empty when the bucket is usable (or missing and Glance may create it), or when the Secret lacks a key to try. */
    List<InputProblem> check(S3Backend s3, Map<String, String> secret, Instant now) {
        String accessKey = secret.get("access_key");
        String secretKey = secret.get("secret_key");
        if (blank(accessKey) || blank(secretKey)) {
            return List.of(); // the missing key is the Secret check's to report; nothing to try with
        }
        URI endpoint = StoreHttp.parse(s3.endpoint);
        if (endpoint == null) {
            return List.of(new InputProblem("S3EndpointUnreachable", "s3.endpoint", "the S3 endpoint " + s3.endpoint
                    + " is not a URL with a host name"));
        }
        HttpClient client;
        try {
            client = http.client(secret.get("ca.crt"));
        } catch (IllegalArgumentException e) {
            return List.of(new InputProblem("InvalidCertificate", "s3.secretName", "key \"ca.crt\" of Secret \"" + s3.secretName
                    + "\" holds no usable PEM certificate"));
        }
        if (!S3BucketUrl.pathStyle(endpoint, s3.bucketUrlFormat) && S3BucketUrl.ipLiteral(endpoint)) {
            return List.of(new InputProblem("S3BucketUrlUnusable", "s3.bucketUrlFormat", "bucketUrlFormat virtual puts the bucket "
                    + "in the host name, which an endpoint given by IP address (" + s3.endpoint + ") does not have: use path or auto"));
        }
        SigV4 signer = new SigV4(accessKey.strip(), secretKey.strip(), blank(s3.region) ? DEFAULT_REGION : s3.region, "s3");
        URI location = S3BucketUrl.of(s3, "location");
        HttpResponse<String> r;
        try {
            r = http.send(client, signed(signer, "GET", location, now));
            if (r.statusCode() == 403 && "AccessDenied".equals(code(r).orElse(""))) {
                // GetBucketLocation may be all a policy withholds; HEAD (ListBucket) is what Glance's driver asks for
                HttpResponse<String> head = http.send(client, signed(signer, "HEAD", S3BucketUrl.of(s3, null), now));
                if (head.statusCode() / 100 == 2) {
                    return List.of();
                }
            }
        } catch (IOException e) {
            return List.of(unreachable(s3, location, e));
        } catch (IllegalArgumentException e) {
            // a URL the JDK client will not send (a host name that is not one); the schema's pattern lets a few through
            return List.of(new InputProblem("S3EndpointUnreachable", "s3.endpoint", "the S3 endpoint " + s3.endpoint
                    + " gives no usable URL for bucket \"" + s3.bucket + "\" (" + StoreHttp.shown(location) + ")"));
        }
        return outcome(s3, r);
    }

    private HttpRequest signed(SigV4 signer, String method, URI uri, Instant now) {
        HttpRequest.Builder b = http.request(uri).method(method, HttpRequest.BodyPublishers.noBody());
        signer.sign(method, uri, now).forEach(b::header);
        return b.build();
    }

    private static List<InputProblem> outcome(S3Backend s3, HttpResponse<String> r) {
        String code = code(r).orElse("");
        String at = " at " + StoreHttp.shown(URI.create(s3.endpoint));
        if (r.statusCode() / 100 == 2) {
            return List.of();
        }
        if (r.statusCode() == 404 && code.equals("NoSuchBucket")) {
            return Boolean.FALSE.equals(s3.createBucket)
                    ? List.of(new InputProblem("S3BucketMissing", "s3.bucket", "bucket \"" + s3.bucket + "\" does not exist" + at
                            + " and createBucket is false: create the bucket or set createBucket"))
                    : List.of();
        }
        if (r.statusCode() == 403 && REFUSED.contains(code)) {
            return List.of(new InputProblem("S3CredentialsRefused", "s3.secretName", "the S3 endpoint" + at + " refused the "
                    + "credentials in Secret \"" + s3.secretName + "\" (" + code + "): check its access_key and secret_key"));
        }
        if (r.statusCode() == 403 && code.equals("AccessDenied")) {
            return List.of(new InputProblem("S3BucketForbidden", "s3.bucket", "bucket \"" + s3.bucket + "\"" + at + " exists but "
                    + "the credentials in Secret \"" + s3.secretName + "\" may not use it (AccessDenied); bucket names are "
                    + "global, so it likely belongs to another account: pick another name or get access granted"));
        }
        if (WRONG_REGION.contains(code)) {
            String expected = regionIn(r).map(reg -> " (the endpoint expects \"" + reg + "\")").orElse("");
            return List.of(new InputProblem("S3RegionMismatch", "s3.region", "bucket \"" + s3.bucket + "\"" + at + " is not in "
                    + "region \"" + (blank(s3.region) ? DEFAULT_REGION : s3.region) + "\"" + expected + " (" + code + ")"));
        }
        return List.of(new InputProblem("S3UnexpectedAnswer", "s3.endpoint", "the S3 endpoint" + at + " answered HTTP "
                + r.statusCode() + (code.isEmpty() ? " without an S3 error code; is this an S3 endpoint?" : " " + code)
                + " to GET bucket \"" + s3.bucket + "\"?location"));
    }

    private static InputProblem unreachable(S3Backend s3, URI url, IOException e) {
        String style = S3BucketUrl.pathStyle(URI.create(s3.endpoint), s3.bucketUrlFormat) ? ""
                : " (virtual-host URL " + StoreHttp.shown(url) + "; bucketUrlFormat path addresses the bucket as endpoint/bucket)";
        return new InputProblem("S3EndpointUnreachable", "s3.endpoint", "the S3 endpoint " + StoreHttp.shown(URI.create(s3.endpoint))
                + " cannot be reached" + style + ": " + StoreHttp.describe(e));
    }

    private static Optional<String> code(HttpResponse<String> r) {
        Matcher m = CODE.matcher(r.body() == null ? "" : r.body());
        return m.find() ? Optional.of(m.group(1).strip()) : Optional.empty();
    }

    private static Optional<String> regionIn(HttpResponse<String> r) {
        Optional<String> header = r.headers().firstValue("x-amz-bucket-region");
        if (header.isPresent()) {
            return header;
        }
        Matcher m = REGION.matcher(r.body() == null ? "" : r.body());
        return m.find() ? Optional.of(m.group(1).strip()) : Optional.empty();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
