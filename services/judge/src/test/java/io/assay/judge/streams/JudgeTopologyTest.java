package io.assay.judge.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.Topics;
import org.junit.jupiter.api.Test;

class JudgeTopologyTest {

    @Test
    void topicConstantsEqualTheRegistry() {
        assertThat(JudgeTopology.ITEMS).isEqualTo(Topics.ITEMS.name());
        assertThat(JudgeTopology.RESPONSES).isEqualTo(Topics.RESPONSES.name());
        assertThat(JudgeTopology.BENCHMARKS).isEqualTo(Topics.BENCHMARKS.name());
        assertThat(JudgeTopology.JUDGMENTS).isEqualTo(Topics.JUDGMENTS.name());
        assertThat(JudgeTopology.DEAD_LETTERS).isEqualTo(Topics.DEAD_LETTERS.name());
    }
}
