package io.assay.judge;

import io.assay.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * The judge keeps the layering of every service (rules and reasons in {@link ArchitectureRules}): the
 * join, pairing and ballots, the LLM protocols, judge prompts, scoring and verdict parsing are plain
 * Java, unit-tested and reusable without a broker; Kafka comes only from the kit.
 */
class ArchitectureTest {

    @Test
    void judgingIsPlainJavaAndKafkaComesOnlyFromTheKit() {
        ArchitectureRules.check("io.assay.judge", "judging", "llm", "prompts", "scoring", "verdicts");
    }
}
