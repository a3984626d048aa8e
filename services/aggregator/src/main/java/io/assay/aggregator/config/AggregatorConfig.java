package io.assay.aggregator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.OptionalLong;

/** The aggregator's settings ({@code assay.aggregator.*}). */
@ConfigMapping(prefix = "assay.aggregator")
public interface AggregatorConfig {

    /** How often leaderboards are checked for changes and changed ones published to assay.leaderboards. */
    @WithDefault("1s")
    Duration snapshotInterval();

    /** Seconds a client is asked to wait (Retry-After) while the state stores are not queryable. */
    @WithDefault("1")
    int retryAfterSeconds();

    /**
     * The most slots a view computed from every slot reads into the heap at once; above it such a view is
     * refused (422). Absent: the old generation's max size / {@code LeaderboardReader.HEAP_PER_SLOT} (the max heap's
     * where the collector has no old generation); {@code irt}'s cells twice the max heap / that.
     */
    OptionalLong slotPathLimit();
}
