package io.assay.aggregator;

import io.assay.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The aggregator keeps the layering of every service (rules and reasons in {@link ArchitectureRules}). */
class ArchitectureTest {

    @Test
    void theFoldViewsAndStatisticsArePlainJavaAndKafkaComesOnlyFromTheKit() {
        ArchitectureRules.check("io.assay.aggregator", "leaderboard", "stats");
    }
}
