package io.assay.invoker.cache;

import io.assay.contracts.FinishReason;
import io.assay.contracts.Ids;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.Purpose;
import io.assay.contracts.Usage;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Heap the answer store retains per answer, with the answers' responses unpublished (bodies held,
 * the baseline) and published (ids only), measured in the same run. Prints figures, asserts
 * nothing: {@code ./mvnw -o test -pl services/model-invoker -Dtest=AnswerStoreFootprintBenchmark
 * -Dassay.bench=answer-store}.
 */
@EnabledIfSystemProperty(named = "assay.bench", matches = "answer-store")
class AnswerStoreFootprintBenchmark {
    private static final int ANSWERS = 100_000;
    private static final String OUTPUT = "Let me work through it. ".repeat(20) + "Answer: 42";

    @Test
    void retainedHeapPerAnswer() throws InterruptedException {
        double held = retainedPerAnswer(false, 0);
        double published = retainedPerAnswer(true, 0);
        System.out.printf(
                "answer store, %d answers of %d chars: unpublished %.0f bytes/answer, published %.0f "
                        + "bytes/answer (%.1fx less)%n",
                ANSWERS, OUTPUT.length(), held, published, held / published);
        // Cacheable (deterministic) answers, published: every one in the content cache's heap (as before
        // it was bounded) against the default bound, each evicted one known by its location only.
        double everyAnswer = retainedPerAnswer(true, ANSWERS);
        double bounded = retainedPerAnswer(true, AnswerStore.DEFAULT_CACHE_ENTRIES);
        System.out.printf(
                "content cache, %d cacheable answers, published: all in heap %.0f bytes/answer, at most %d in "
                        + "heap %.0f bytes/answer (%.1fx less)%n",
                ANSWERS, everyAnswer, AnswerStore.DEFAULT_CACHE_ENTRIES, bounded, everyAnswer / bounded);
    }

    /** Heap per answer; {@code cacheEntries} 0: not cacheable, else cacheable with that many in heap. */
    private static double retainedPerAnswer(boolean publish, int cacheEntries) throws InterruptedException {
        AnswerStore store = cacheEntries == 0
                ? AnswerStore.inMemory()
                : new AnswerStore(
                        (key, response) -> new AnswerStore.Written(
                                0, Long.parseLong(response.itemId().substring(5))),
                        new ContentCache(cacheEntries, ContentCache.ContentLog.NONE));
        store.markLoaded();
        long before = usedAfterGc();
        for (int i = 0; i < ANSWERS; i++) {
            String item = "item-" + i;
            ModelResponse r = new ModelResponse(
                    Ids.hash("req", "b", item, "plain", "m"),
                    Purpose.EVALUATE,
                    "b",
                    item,
                    1,
                    "m",
                    true,
                    null,
                    "c",
                    Instant.now(),
                    new String(OUTPUT.toCharArray()),
                    FinishReason.STOP,
                    new Usage(80, 120),
                    10L,
                    0.001,
                    false,
                    1,
                    null,
                    null,
                    Instant.now());
            store.record(cacheEntries == 0 ? null : Ids.hash("content", item), r);
            if (publish) {
                store.markPublished(r);
            }
        }
        long after = usedAfterGc();
        if (store.size() != ANSWERS) {
            throw new IllegalStateException("store lost answers: " + store.size());
        }
        return (after - before) / (double) ANSWERS;
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
