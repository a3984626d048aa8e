package io.assay.invoker.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assay.contracts.ModelResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The content cache's heap part is bounded; what it evicts is read back from where the log holds it. */
class ContentCacheTest {
    /** A log of answers by location, as assay.answers holds them; records what was read. */
    private final Map<Long, ModelResponse> log = new HashMap<>();

    private final List<String> reads = new ArrayList<>();

    private final ContentCache cache = new ContentCache(2, (key, partition, offset) -> {
        reads.add(key + "@" + partition + "/" + offset);
        return Optional.ofNullable(log.get(ContentCache.pack(partition, offset)));
    });

    private void paid(String key, ModelResponse r, int partition, long offset) {
        log.put(ContentCache.pack(partition, offset), r);
        cache.locate(key, partition, offset);
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
        assertThat(reads).containsExactly("k2@1/20");
        assertThat(cache.get("k2")).isPresent();
        assertThat(reads).hasSize(1);
        assertThat(cache.hitsFromLog()).isEqualTo(1);
        assertThat(cache.hitsFromHeap()).isEqualTo(4);
    }

    @Test
    void aKeyNeverPaidForOrGoneFromTheLogIsAMiss() {
        assertThat(cache.get("never")).isEmpty();
        assertThat(reads).isEmpty();

        // Given k1 evicted and its record compacted away (the log has nothing at its offset any more)
        cache.locate("k1", 0, 5);
        assertThat(cache.get("k1")).isEmpty();
        assertThat(reads).containsExactly("k1@0/5");
        assertThat(cache.hitsFromLog()).isZero();
    }

    @Test
    void aLaterRecordOfTheSameKeyMovesItsLocation() {
        // Given the answer written, then written again marked published (compaction keeps the later one)
        cache.locate("k1", 0, 5);
        cache.locate("k1", 0, 9);
        log.put(ContentCache.pack(0, 9), AnswerStoreTest.answer("r1"));

        assertThat(cache.get("k1")).isPresent();
        assertThat(reads).containsExactly("k1@0/9");
    }

    @Test
    void locationsPackPartitionAndOffsetIntoOneLong() {
        long packed = ContentCache.pack(32_767, (1L << 48) - 1);
        assertThat(ContentCache.partition(packed)).isEqualTo(32_767);
        assertThat(ContentCache.offset(packed)).isEqualTo((1L << 48) - 1);
        assertThat(ContentCache.partition(ContentCache.pack(3, 7))).isEqualTo(3);
        assertThat(ContentCache.offset(ContentCache.pack(3, 7))).isEqualTo(7);
        assertThatThrownBy(() -> ContentCache.pack(1 << 15, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ContentCache(0, ContentCache.ContentLog.NONE))
                .hasMessageContaining("at least one answer");
    }
}
