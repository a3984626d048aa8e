package io.assay.invoker.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assay.contracts.FinishReason;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.Purpose;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the answer store keeps: whole answers in heap until published, and on disk (the index) only
 * where each request stands; answers stored elsewhere are read back from the log.
 */
class AnswerStoreTest {
    /** The durable log: records by location, as assay.answers holds them, and what was written or read. */
    private final Map<Long, AnswerReadBack.Logged> records = new HashMap<>();

    private final List<String> logged = new ArrayList<>();
    private final AnswerStore store = new AnswerStore(
            new AnswerStore.AnswerLog() {
                @Override
                public AnswerStore.Written append(String cacheKey, ModelResponse response) {
                    logged.add("append " + response.requestId() + " " + cacheKey);
                    records.put(
                            AnswerIndex.location(0, logged.size()),
                            new AnswerReadBack.Logged(response.requestId(), cacheKey, response));
                    return new AnswerStore.Written(0, logged.size());
                }

                @Override
                public void published(String cacheKey, ModelResponse response) {
                    logged.add("published " + response.requestId() + " " + cacheKey);
                }
            },
            location -> {
                logged.add("read " + AnswerIndex.partition(location) + "/" + AnswerIndex.offset(location));
                return Optional.ofNullable(records.get(location));
            },
            AnswerIndex.inMemory(),
            AnswerStore.DEFAULT_CACHE_ENTRIES);

    @AfterEach
    void close() {
        store.close();
    }

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
        assertThat(store.pending()).isEqualTo(1);

        // When: its response is published
        store.markPublished(r);

        // Then: the index says so, the heap no longer holds it, the content cache still serves it
        assertThat(store.isPublished("r1")).isTrue();
        assertThat(store.forRequest("r1")).isEmpty();
        assertThat(store.pending()).isZero();
        assertThat(store.forContent("k1")).contains(r);
        assertThat(logged).containsExactly("append r1 k1", "published r1 k1");

        // And: marking it again writes nothing more
        store.markPublished(r);
        assertThat(logged).hasSize(2);
    }

    @Test
    void readingBackTheLogIndexesWhereEachRequestStandsAndReadsAnUnpublishedAnswerBackWhenAskedFor() {
        // Given: the log holds an answer marked published and one whose publication was not noted (a crash)
        records.put(AnswerIndex.location(1, 7), new AnswerReadBack.Logged("pending", "k", answer("pending")));
        store.logged("done", null, true, AnswerIndex.location(0, 3));
        store.logged("pending", "k", false, AnswerIndex.location(1, 7));
        store.markLoaded();

        // Then: nothing was read yet; the published one needs no answer, the other is read back once
        assertThat(logged).isEmpty();
        assertThat(store.isPublished("done")).isTrue();
        assertThat(store.forRequest("done")).isEmpty();
        assertThat(store.forRequest("pending")).map(ModelResponse::requestId).contains("pending");
        assertThat(store.forRequest("pending")).isPresent();
        assertThat(logged).containsExactly("read 1/7");

        // And: publishing it marks it with its content key, read back with it
        store.markPublished(answer("pending"));
        assertThat(logged).containsExactly("read 1/7", "published pending k");
        assertThat(store.pending()).isZero();

        // And: a tombstone forgets it
        store.forget("pending");
        assertThat(store.isPublished("pending")).isFalse();
        assertThat(store.forRequest("pending")).isEmpty();
    }

    @Test
    void aRecordReadBeforeItsPublishedMarkNeverUnpublishesIt() {
        // The reader follows the log behind this process: its first record arrives after the mark was noted.
        ModelResponse r = answer("r1");
        store.record(null, r);
        store.markPublished(r);
        store.logged("r1", null, false, AnswerIndex.location(0, 1));

        assertThat(store.isPublished("r1")).isTrue();
    }

    @Test
    void aStoredAnswerGoneFromItsOffsetIsNotPaidAgainButRetried() {
        // Given: the index knows an unpublished answer whose record a later one (not read yet) replaced
        store.logged("moved", null, false, AnswerIndex.location(0, 42));

        // Then: asking for it fails (the prompt is not acknowledged) rather than saying "never answered"
        assertThatThrownBy(() -> store.forRequest("moved"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no longer at partition 0 offset 42");
    }

    @Test
    void anUnreadableRecordIsAnAnswerPaidAgain() {
        records.put(AnswerIndex.location(0, 5), new AnswerReadBack.Logged("bad", null, null));
        store.logged("bad", null, false, AnswerIndex.location(0, 5));

        assertThat(store.forRequest("bad")).isEmpty();
    }

    @Test
    void locationsPackPartitionAndOffsetIntoOneLong() {
        long packed = AnswerIndex.location(32_767, (1L << 48) - 1);
        assertThat(AnswerIndex.partition(packed)).isEqualTo(32_767);
        assertThat(AnswerIndex.offset(packed)).isEqualTo((1L << 48) - 1);
        assertThat(AnswerIndex.partition(AnswerIndex.location(3, 7))).isEqualTo(3);
        assertThat(AnswerIndex.offset(AnswerIndex.location(3, 7))).isEqualTo(7);
        assertThatThrownBy(() -> AnswerIndex.location(1 << 15, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anIndexOnDiskStartsEmptyAndIsRemovedOnClose(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("index");
        try (AnswerIndex index = AnswerIndex.open(dir)) {
            index.published("r1");
        }
        assertThat(dir).doesNotExist();

        // Given: the files of an index left by a process killed before it closed it
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("CURRENT"), "MANIFEST-000005\n");
        Files.writeString(dir.resolve("000004.sst"), "stale");

        // Then: the next start wipes it
        try (AnswerIndex index = AnswerIndex.open(dir)) {
            assertThat(index.isPublished("r1")).isFalse();
            assertThat(dir.resolve("000004.sst")).doesNotExist();
        }

        // But: a directory with other files is never wiped
        Path other = tmp.resolve("other");
        Files.createDirectories(other);
        Files.writeString(other.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> AnswerIndex.open(other)).hasMessageContaining("no index");
        assertThat(other.resolve("notes.txt")).exists();
    }
}
