package io.assay.promptgenerator;

import io.assay.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The prompt generator keeps the layering of every service (rules and reasons in {@link ArchitectureRules}). */
class ArchitectureTest {

    @Test
    void promptingIsPlainJavaAndKafkaComesOnlyFromTheKit() {
        ArchitectureRules.check("io.assay.promptgenerator", "prompts");
    }
}
