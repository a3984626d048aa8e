package io.assay.invoker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.Topics;
import org.junit.jupiter.api.Test;

/** Channel names are compile-time constants for the annotations; they must equal the topic names. */
class ChannelNamesTest {

    @Test
    void channelsAreNamedAfterTheirTopics() {
        assertThat(PromptConsumer.PROMPTS).isEqualTo(Topics.PROMPTS.name());
        assertThat(PromptConsumer.RESPONSES).isEqualTo(Topics.RESPONSES.name());
        assertThat(DeadLetterPublisher.DEAD_LETTERS).isEqualTo(Topics.DEAD_LETTERS.name());
    }

    @Test
    void deadLetterReasonsAreClassified() {
        assertThat(DeadLetterPublisher.reasonClass("not JSON: Unexpected character")).isEqualTo("not_json");
        assertThat(DeadLetterPublisher.reasonClass("/revision: must be >= 1")).isEqualTo("schema");
        assertThat(DeadLetterPublisher.reasonClass("empty value (tombstone) on assay.prompts")).isEqualTo("empty");
    }
}
