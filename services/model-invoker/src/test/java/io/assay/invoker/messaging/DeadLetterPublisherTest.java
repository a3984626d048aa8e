package io.assay.invoker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Dead-letter reasons are classified into few metric tag values. */
class DeadLetterPublisherTest {

    @Test
    void deadLetterReasonsAreClassified() {
        assertThat(DeadLetterPublisher.reasonClass("not JSON: Unexpected character"))
                .isEqualTo("not_json");
        assertThat(DeadLetterPublisher.reasonClass("/revision: must be >= 1")).isEqualTo("schema");
        assertThat(DeadLetterPublisher.reasonClass("empty value (tombstone) on assay.prompts"))
                .isEqualTo("empty");
    }
}
