package org.openstack.glanceimport.api.imagecache;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageCacheStatus {

    @JsonPropertyDescription("Size of each cache claim.")
    public String size;

    @JsonPropertyDescription("image_cache_max_size the pruner keeps the cache under, in bytes.")
    public Long maxSizeBytes;

    @JsonPropertyDescription("Per-pod cache claims and their maintenance CronJobs.")
    public List<ImageCachePodStatus> pods = new ArrayList<>();
}
