package org.openstack.glanceimport.stores;

import java.net.URI;
import java.util.regex.Pattern;

import org.openstack.glanceimport.api.stores.S3Backend;

/**
 * Where a bucket is addressed: path-style (endpoint/bucket) or virtual-host (bucket.endpoint). "auto" picks path-style
 * for endpoints that cannot carry a bucket in their host name (an IP address, localhost, an explicit port: radosgw and
 * MinIO in a cluster) and virtual-host otherwise (AWS, which is phasing path-style out).
 */
final class S3BucketUrl {

    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");

    private S3BucketUrl() {
    }

    static boolean pathStyle(URI endpoint, String format) {
        if ("path".equals(format)) {
            return true;
        }
        if ("virtual".equals(format)) {
            return false;
        }
        String host = endpoint.getHost() == null ? "" : endpoint.getHost();
        return endpoint.getPort() != -1 || ipLiteral(endpoint) || "localhost".equalsIgnoreCase(host);
    }

    /** An endpoint given by address: no name to put a bucket in front of, so virtual-host addressing cannot work. */
    static boolean ipLiteral(URI endpoint) {
        String host = endpoint.getHost() == null ? "" : endpoint.getHost();
        return host.startsWith("[") || IPV4.matcher(host).matches();
    }

    /** The bucket's URL with {@code query} (raw, may be null); a path in the endpoint is kept as a prefix. */
    static URI of(S3Backend s3, String query) {
        URI endpoint = URI.create(s3.endpoint);
        String prefix = endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/+$", "");
        String q = query == null ? "" : "?" + query;
        String port = endpoint.getPort() == -1 ? "" : ":" + endpoint.getPort();
        if (pathStyle(endpoint, s3.bucketUrlFormat)) {
            return URI.create(endpoint.getScheme() + "://" + endpoint.getHost() + port + prefix + "/" + s3.bucket + q);
        }
        return URI.create(endpoint.getScheme() + "://" + s3.bucket + "." + endpoint.getHost() + port + prefix + "/" + q);
    }
}
