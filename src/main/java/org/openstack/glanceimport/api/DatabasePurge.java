package org.openstack.glanceimport.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

import org.openstack.glanceimport.api.imagecache.ImageCache;

/** A CronJob running glance-manage db purge: soft-deleted rows otherwise grow the database forever. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabasePurge {

    @JsonPropertyDescription("Cron schedule of the purge Job.")
    @Default("\"0 1 * * *\"")
    @Size(max = 100)
    @Pattern(ImageCache.CRON)
    public String schedule = "0 1 * * *";

    @JsonPropertyDescription("Purge rows deleted more than this many days ago (--age_in_days).")
    @Default("30")
    @Min(1)
    @Max(3650)
    public Integer ageInDays = 30;

    @JsonPropertyDescription("Rows purged per table per run (--max_rows).")
    @Default("100")
    @Min(1)
    @Max(1000000)
    public Integer maxRows = 100;
}
