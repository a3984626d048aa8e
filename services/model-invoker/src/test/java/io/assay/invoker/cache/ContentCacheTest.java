package io.assay.invoker.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assay.contracts.ModelResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The content cache's heap part is bounded; what it evicts is read back from where the log holds it. */
class ContentCacheTest {
    /** A log of answers by location, as assay.answers holds them; records what was read. */
    private final Map<Long, AnswerReadBack.Logged> log = new HashMap<>();

    private final List<String> reads = new ArrayList<>();
    private final AnswerIndex index = AnswerIndex.inMemory();

    private final ContentCache cache = new ContentCache(2, index, location -> {
        reads.add(AnswerIndex.partition(location) + "/" + AnswerIndex.offset(location));
        return Optional.ofNullable(log.get(location));
    });

    @AfterEach
    void close() {
        index.close();
    }

    private void paid(String key, ModelResponse r, int partition, long offset) {
        log.put(AnswerIndex.location(partition, offset), new AnswerReadBack.Logged(r.requestId(), key, r));
        cache.locate(key, AnswerIndex.location(partition, offset));
        cache.put(key, r);
    }

    @Test
    void theLeastRecentlyUsedAnswerLeavesHeapAndIsReadBackFromTheLog() {
        // Given room for two answers in heap, and three paid for: k1, k2, then k1 used, then k3
        paid("k1", AnswerStoreTest.answer("r1"), 0, 10);
        paid("k2", AnswerStoreTest.answer("r2"), 1, 20);
        assertThat(cache.get("k1")).map(ModelResponse::requestId).contains("r1");
        paid("k3", AnswerStoreTest.answer("r3"), 2, 30);

        // Then k2 (least recently used) left heap, the others stayed, and every key is still known
        assertThat(cache.inHeap()).isEqualTo(2);
        assertThat(cache.known()).isEqualTo(3);
        assertThat(cache.get("k1")).isPresent();
        assertThat(cache.get("k3")).isPresent();
        assertThat(reads).isEmpty();

        // When k2 is asked for, Then it is read back from its partition and offset, and is in heap again
        assertThat(cache.get("k2")).map(ModelResponse::requestId).contains("r2");
        assertThat(reads).containsExactly("1/20");
        assertThat(cache.get("k2")).isPresent();
        assertThat(reads).hasSize(1);
        assertThat(cache.hitsFromLog()).isEqualTo(1);
        assertThat(cache.hitsFromHeap()).isEqualTo(4);
    }

    @Test
    void aKeyNeverPaidForGoneFromTheLogOrUnreadableNowIsAMiss() {
        assertThat(cache.get("never")).isEmpty();
        assertThat(reads).isEmpty();

        // Given k1 evicted and its record compacted away (the log has nothing at its offset any more)
        cache.locate("k1", AnswerIndex.location(0, 5));
        assertThat(cache.get("k1")).isEmpty();
        assertThat(reads).containsExactly("0/5");

        // Given a record of another content key at the offset noted (the topic was recreated)
        log.put(AnswerIndex.location(0, 5), new AnswerReadBack.Logged("r9", "k9", AnswerStoreTest.answer("r9")));
        assertThat(cache.get("k1")).isEmpty();

        // Given a log that cannot be read now
        ContentCache unreachable = new ContentCache(1, index, location -> {
            throw new IllegalStateException("broker down");
        });
        assertThat(unreachable.get("k1")).isEmpty();
        assertThat(cache.hitsFromLog()).isZero();
    }

    @Test
    void aLaterRecordOfTheSameKeyMovesItsLocation() {
        // Given the answer written, then written again marked published (compaction keeps the later one)
        cache.locate("k1", AnswerIndex.location(0, 5));
        cache.locate("k1", AnswerIndex.location(0, 9));
        log.put(AnswerIndex.location(0, 9), new AnswerReadBack.Logged("r1", "k1", AnswerStoreTest.answer("r1")));

        assertThat(cache.get("k1")).isPresent();
        assertThat(reads).containsExactly("0/9");
    }

    @Test
    void theHeapPartNeedsRoomForOneAnswer() {
        assertThatThrownBy(() -> new ContentCache(0, index, AnswerReadBack.NONE))
                .hasMessageContaining("at least one answer");
    }
}
