package io.assay.invoker.cache;

import io.assay.contracts.FinishReason;
import io.assay.contracts.Ids;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.Purpose;
import io.assay.contracts.Usage;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Heap the answer store retains after 100,000 and after 1,000,000 published answers, not cacheable and
 * cacheable (the content cache at its default bound), with the index on disk; the time per answer; the
 * index's disk; and what the index costs a start (noting 1,000,000 records read back) and a lookup.
 * Prints figures, asserts nothing: {@code ./mvnw -o -q -pl services/model-invoker -am test
 * -Dtest=AnswerStoreFootprintBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dassay.bench=answer-store
 * -DargLine=-Xmx384m}.
 */
@EnabledIfSystemProperty(named = "assay.bench", matches = "answer-store")
class AnswerStoreFootprintBenchmark {
    private static final int FIRST = 100_000;
    private static final int ANSWERS = 1_000_000;
    private static final String OUTPUT = "Let me work through it. ".repeat(20) + "Answer: 42";

    @Test
    void retainedHeapAfter100kAnd1mAnswers() throws Exception {
        answers(false);
        answers(true);
        startAndLookups();
    }

    private static void answers(boolean cacheable) throws Exception {
        Path dir = Files.createTempDirectory("answer-index-bench");
        long base = usedAfterGc();
        AnswerStore store = new AnswerStore(
                (key, response) -> new AnswerStore.Written(
                        0, Long.parseLong(response.itemId().substring(5))),
                AnswerReadBack.NONE,
                AnswerIndex.open(dir),
                AnswerStore.DEFAULT_CACHE_ENTRIES);
        store.markLoaded();
        long started = System.nanoTime();
        long atFirst = 0;
        for (int i = 0; i < ANSWERS; i++) {
            ModelResponse r = answer(i);
            store.record(cacheable ? Ids.hash("content", r.itemId()) : null, r);
            store.markPublished(r);
            if (i + 1 == FIRST) {
                atFirst = usedAfterGc() - base;
            }
        }
        double microsPerAnswer = (System.nanoTime() - started) / 1e3 / ANSWERS;
        long atEnd = usedAfterGc() - base;
        if (!store.isPublished(answer(0).requestId())
                || !store.isPublished(answer(ANSWERS - 1).requestId())) {
            throw new IllegalStateException("the store lost answers");
        }
        System.out.printf(
                "answer store, %s published answers of %d chars: retained heap %.1f MB after %,d, %.1f MB after"
                        + " %,d (%+.0f%%, %.1f bytes/answer in between); %.1f us/answer; index on disk %.0f MB%n",
                cacheable ? "cacheable" : "non-cacheable",
                OUTPUT.length(),
                atFirst / 1e6,
                FIRST,
                atEnd / 1e6,
                ANSWERS,
                100.0 * (atEnd - atFirst) / atFirst,
                (atEnd - atFirst) / (double) (ANSWERS - FIRST),
                microsPerAnswer,
                store.diskBytes() / 1e6);
        Reference.reachabilityFence(store);
        store.close();
    }

    /** A start notes every record of the log (an answer, then its published mark); then lookups. */
    private static void startAndLookups() throws Exception {
        Path dir = Files.createTempDirectory("answer-index-bench");
        try (AnswerStore store =
                new AnswerStore(AnswerStore.AnswerLog.NONE, AnswerReadBack.NONE, AnswerIndex.open(dir), 1)) {
            long started = System.nanoTime();
            for (int i = 0; i < ANSWERS; i++) {
                String requestId = answer(i).requestId();
                String cacheKey = Ids.hash("content", "item-" + i);
                store.logged(requestId, cacheKey, false, AnswerIndex.location(0, 2L * i));
                store.logged(requestId, cacheKey, true, AnswerIndex.location(0, 2L * i + 1));
            }
            double microsPerRecord = (System.nanoTime() - started) / 1e3 / (2.0 * ANSWERS);
            int lookups = 100_000;
            long missed = System.nanoTime();
            for (int i = 0; i < lookups; i++) {
                if (store.isPublished(Ids.hash("never", Integer.toString(i)))) {
                    throw new IllegalStateException("a request never answered is published");
                }
            }
            double microsPerMiss = (System.nanoTime() - missed) / 1e3 / lookups;
            long hit = System.nanoTime();
            for (int i = 0; i < lookups; i++) {
                if (!store.isPublished(answer(i * 7).requestId())) {
                    throw new IllegalStateException("a published request is not");
                }
            }
            double microsPerHit = (System.nanoTime() - hit) / 1e3 / lookups;
            System.out.printf(
                    "answer index, %,d records read back at a start (an answer and its mark for %,d cacheable"
                            + " requests): %.1f us/record; a lookup of a request never answered %.1f us, of a"
                            + " published one %.1f us; index on disk %.0f MB%n",
                    2 * ANSWERS, ANSWERS, microsPerRecord, microsPerMiss, microsPerHit, store.diskBytes() / 1e6);
        }
    }

    private static ModelResponse answer(int i) {
        String item = "item-" + i;
        return new ModelResponse(
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
