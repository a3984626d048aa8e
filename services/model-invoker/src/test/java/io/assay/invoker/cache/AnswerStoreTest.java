package io.assay.invoker.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.FinishReason;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.Purpose;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the answer store keeps: whole answers until published, then only the request id. */
class AnswerStoreTest {
    private final List<String> logged = new ArrayList<>();
    private final AnswerStore store = new AnswerStore(new AnswerStore.AnswerLog() {
        @Override
        public AnswerStore.Written append(String cacheKey, ModelResponse response) {
            logged.add("append " + response.requestId() + " " + cacheKey);
            return new AnswerStore.Written(0, logged.size());
        }

        @Override
        public void published(String cacheKey, ModelResponse response) {
            logged.add("published " + response.requestId() + " " + cacheKey);
        }
    });

    /** A successful answer to {@code requestId}. */
    static ModelResponse answer(String requestId) {
        return new ModelResponse(
                requestId,
                Purpose.EVALUATE,
                "b",
                "i1",
                1,
                "m",
                false,
                null,
                null,
                null,
                "Answer: 42",
                FinishReason.STOP,
                null,
                10L,
                0.001,
                false,
                1,
                null,
                null,
                Instant.parse("2026-11-28T12:00:00Z"));
    }

    @Test
    void anAnswerIsHeldWholeUntilItsResponseIsPublished() {
        // Given: an answer recorded, not yet published (a crash here must re-emit it, not re-buy it)
        ModelResponse r = answer("r1");
        store.record("k1", r);
        assertThat(store.forRequest("r1")).contains(r);
        assertThat(store.isPublished("r1")).isFalse();

        // When: its response is published
        store.markPublished(r);

        // Then: the id is remembered, the body is dropped, the content cache still serves it
        assertThat(store.isPublished("r1")).isTrue();
        assertThat(store.forRequest("r1")).isEmpty();
        assertThat(store.forContent("k1")).contains(r);
        assertThat(store.size()).isEqualTo(1);
        assertThat(logged).containsExactly("append r1 k1", "published r1 k1");

        // And: marking it again writes nothing more
        store.markPublished(r);
        assertThat(logged).hasSize(2);
    }

    @Test
    void readingBackTheLogKeepsBodiesOnlyOfUnpublishedAnswers() {
        // When: the log holds a published answer and one whose publication was not noted
        store.learn(null, answer("done"), true);
        store.learn(null, answer("pending"), false);
        store.markLoaded();

        // Then
        assertThat(store.isPublished("done")).isTrue();
        assertThat(store.forRequest("done")).isEmpty();
        assertThat(store.forRequest("pending")).isPresent();
        assertThat(store.size()).isEqualTo(2);

        // And: a tombstone forgets both kinds
        store.forget("done");
        store.forget("pending");
        assertThat(store.isPublished("done")).isFalse();
        assertThat(store.size()).isZero();
    }
}
