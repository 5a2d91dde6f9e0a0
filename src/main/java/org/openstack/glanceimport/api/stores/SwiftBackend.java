package org.openstack.glanceimport.api.stores;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An OpenStack Swift object store (glance_store's swift driver, single tenant): Swift itself or Ceph radosgw. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SwiftBackend {

    @JsonPropertyDescription("Authentication URL: Keystone's v3 URL (authVersion 3), or a Swift/radosgw v1 auth URL such as "
            + "http://rgw.ceph.svc:8080/auth/1.0 (authVersion 1).")
    @Required
    @Size(min = 8, max = 512)
    @Pattern("^https?://[^\\s?#]+$")
    public String authAddress;

    @JsonPropertyDescription("Auth protocol: 3 (Keystone) or 1 (Swift's TempAuth, radosgw's swift_auth).")
    @Default("3")
    @Pattern("^(1|3)$")
    public String authVersion = "3";

    @JsonPropertyDescription("Secret with keys user and key (the password), with authVersion 3 also project_name and optionally "
            + "user_domain_name and project_domain_name (default Default); optionally ca.crt for an https endpoint. Rendered into "
            + "the pods' Secret, never a ConfigMap.")
    @Required
    @Size(min = 1, max = 253)
    @Pattern(Store.DNS_NAME)
    public String secretName;

    @JsonPropertyDescription("Container the images go to.")
    @Default("glance")
    @Size(min = 1, max = 256)
    @Pattern("^[^/\\s]+$")
    public String container = "glance";

    @JsonPropertyDescription("Create the container at the first upload if it does not exist.")
    @Default("true")
    public Boolean createContainer = true;

    @JsonPropertyDescription("Images larger than this (MiB) are stored as segments plus a manifest.")
    @Default("5120")
    @Min(1)
    @Max(5120)
    public Integer largeObjectSizeMiB = 5120;

    @JsonPropertyDescription("Segment size (MiB) of a large image.")
    @Default("200")
    @Min(1)
    @Max(5120)
    public Integer largeObjectChunkSizeMiB = 200;
}
