package org.openstack.glanceimport.api.stores;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An S3-compatible object store (glance_store's s3 driver): AWS S3, Ceph radosgw, MinIO and the like. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class S3Backend {

    @JsonPropertyDescription("Endpoint URL, e.g. https://s3.example.com or http://rgw.ceph.svc:8080.")
    @Required
    @Size(min = 8, max = 512)
    @Pattern("^https?://[^\\s/?#]+(/[^\\s?#]*)?$")
    public String endpoint;

    @JsonPropertyDescription("Bucket the images go to.")
    @Required
    @Pattern("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
    public String bucket;

    @JsonPropertyDescription("Secret with keys access_key and secret_key, and optionally ca.crt: the CA bundle the endpoint's "
            + "certificate is verified with. Mounted into the pods, never put in a ConfigMap.")
    @Required
    @Size(min = 1, max = 253)
    @Pattern(Store.DNS_NAME)
    public String secretName;

    @JsonPropertyDescription("Region the bucket is in (signing region). Unset: the endpoint's default.")
    @Size(max = 64)
    @Pattern("^[a-z0-9-]+$")
    public String region;

    @JsonPropertyDescription("Create the bucket at the first upload if it does not exist.")
    @Default("true")
    public Boolean createBucket = true;

    @JsonPropertyDescription("How the bucket is named in URLs: path (endpoint/bucket, what radosgw and MinIO need unless "
            + "DNS names each bucket), virtual (bucket.endpoint) or auto.")
    @Default("auto")
    @Pattern("^(auto|path|virtual)$")
    public String bucketUrlFormat = "auto";

    @JsonPropertyDescription("Images larger than this (MiB) are uploaded in parts (multipart upload).")
    @Default("100")
    @Min(5)
    @Max(5120)
    public Integer largeObjectSizeMiB = 100;

    @JsonPropertyDescription("Part size (MiB) of a multipart upload.")
    @Default("10")
    @Min(5)
    @Max(5120)
    public Integer largeObjectChunkSizeMiB = 10;
}
