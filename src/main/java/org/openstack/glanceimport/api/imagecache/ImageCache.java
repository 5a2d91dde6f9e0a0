package org.openstack.glanceimport.api.imagecache;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Quantity;

/** Glance's local image cache: images served once are served again from the pod's own claim. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageCache {

    /** Five cron fields or a macro; Kubernetes checks the rest. */
    public static final String CRON = "^(@(hourly|daily|weekly|monthly|yearly|annually|midnight)|[0-9*/,?-]+( [0-9A-Za-z*/,?-]+){4})$";

    @JsonPropertyDescription("Size of each pod's cache claim image-cache-<name>-<i>.")
    @Required
    public Quantity size;

    @JsonPropertyDescription("StorageClass of the cache claims; empty means the cluster default.")
    @Size(max = 253)
    public String storageClassName;

    @JsonPropertyDescription("The pruner shrinks the cache to this share of the claim (image_cache_max_size).")
    @Default("80")
    @Min(10)
    @Max(95)
    public Integer maxSizePercent = 80;

    @JsonPropertyDescription("Cron schedule of each pod's cache maintenance Job (glance-cache-pruner, then glance-cache-cleaner), "
            + "which runs on the pod's node, where its cache claim is mounted.")
    @Default("\"*/30 * * * *\"")
    @Size(max = 100)
    @Pattern(CRON)
    public String schedule = "*/30 * * * *";

    @JsonPropertyDescription("Seconds after which an incomplete cache file counts as stalled and the cleaner removes it.")
    @Default("86400")
    @Min(60)
    @Max(2592000)
    public Integer stallTimeSeconds = 86400;
}
