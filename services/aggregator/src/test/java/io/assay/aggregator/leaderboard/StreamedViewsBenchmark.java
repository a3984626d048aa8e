package io.assay.aggregator.leaderboard;

import io.assay.contracts.JudgmentKind;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelSpec;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Time and heap of a streamed {@code window} view ({@link StreamedViews}) over 1,000,000 reference slots of
 * 100 models (10,000 items, one variant each, items published one an hour), with the default stability lag:
 * the slots are made in key order as the scan hands them over (the RocksDB read and decoding are not
 * included; the making is, and is timed alone first), so the heap measured is what the streamed path itself
 * keeps. Against, in the same run, the slot
 * path over the same slots held in a list (what {@code slots(benchmark)} reads into the heap). Prints
 * figures, asserts nothing: {@code ./mvnw -o -q test -pl services/aggregator -am -Dtest=StreamedViewsBenchmark
 * -Dassay.bench=streamed -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "assay.bench", matches = "streamed")
class StreamedViewsBenchmark {
    /** No item read: the score tau is the only reader, and these are reference verdicts. */
    private static final ItemSlots NO_SCORES = prefix -> List.of();

    private static final int MODELS = 100;
    private static final int SLOTS = 1_000_000;
    private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");
    private static final Leaderboards.Context CTX = new Leaderboards.Context(Map.<String, ModelSpec>of(), null);

    @Test
    void windowViewOverAMillionSlots() throws InterruptedException {
        BenchmarkTallies tallies = new BenchmarkTallies();
        ItemRuns runs = new ItemRuns(1, (key, s, others, otherModels) -> tallies.replace(0, key, null, s, others));
        scan(runs::accept);
        runs.finish();
        for (int run = 0; run < 2; run++) {
            long start = System.nanoTime();
            long[] seen = {0};
            scan((key, s) -> seen[0]++);
            System.out.printf(
                    "the scan alone (making %,d slots, no tallies): %,6.0f ms%n",
                    seen[0], (System.nanoTime() - start) / 1e6);
        }
        for (Duration window : new Duration[] {Duration.ofDays(30), Duration.ofDays(365 * 2)}) {
            ViewQuery q = new ViewQuery(View.ACCURACY, null, null, null, null, window, false, ViewQuery.DEFAULT_LAG);
            for (int run = 0; run < 3; run++) {
                // The last run samples the live heap; the first two are timed without those GCs.
                boolean sampled = run == 2;
                long heapBefore = TalliesFootprintBenchmark.usedAfterGc();
                Peak peak = new Peak();
                long start = System.nanoTime();
                LeaderboardSnapshot s = StreamedViews.build(
                                "mmlu",
                                StreamedViews.counted("mmlu", tallies, NO_SCORES, CTX, q, AT)
                                        .orElseThrow(),
                                CTX,
                                q,
                                AT,
                                action -> scan((key, slot) -> {
                                    action.accept(key, slot);
                                    if (sampled) {
                                        peak.sample();
                                    }
                                }),
                                NO_SCORES)
                        .orElseThrow();
                double ms = (System.nanoTime() - start) / 1e6;
                if (sampled) {
                    System.out.printf(
                            "streamed window %-7s: live heap above the start at most %,6.1f MiB "
                                    + "(after a GC every 100,000 slots)%n",
                            window, (peak.max - heapBefore) / 1048576.0);
                } else {
                    System.out.printf(
                            "streamed window %-7s over %,d slots (%,d in the window, %d rows): %,6.0f ms%n",
                            window, SLOTS, s.judgments(), s.rows().size(), ms);
                }
            }
        }
        long heapBefore = TalliesFootprintBenchmark.usedAfterGc();
        java.util.List<Slot> slots = new java.util.ArrayList<>(SLOTS);
        scan((key, s) -> slots.add(s));
        long start = System.nanoTime();
        LeaderboardSnapshot s = Leaderboards.build(
                "mmlu",
                slots,
                CTX,
                new ViewQuery(View.ACCURACY, null, null, null, null, Duration.ofDays(30), false, ViewQuery.DEFAULT_LAG),
                AT);
        double ms = (System.nanoTime() - start) / 1e6;
        System.out.printf(
                "slot path window P30D over %,d slots (%,d in the window): %,6.0f ms, the slots retain %,6.1f MiB%n",
                slots.size(), s.judgments(), ms, (TalliesFootprintBenchmark.usedAfterGc() - heapBefore) / 1048576.0);
    }

    /**
     * {@code post-cutoff} over the same slots, the models' cutoffs spread over the items' publication (about half the
     * slots after their model's): streamed ({@link StreamedViews}, a scan on every computation) against kept ({@link
     * KeptStreams}: made by a scan once, then fed every write), in the same run. The writes are 100 new items judged
     * for every model, fed to the tallies and the kept view as the fold feeds them.
     */
    @Test
    void postCutoffStreamedAndKeptOverAMillionSlots() {
        Map<String, ModelSpec> models = new java.util.TreeMap<>();
        java.time.LocalDate first = AT.minus(Duration.ofHours(10_000))
                .atZone(java.time.ZoneOffset.UTC)
                .toLocalDate();
        for (int m = 0; m < MODELS; m++) {
            String id = "model-" + (1_000 + m);
            models.put(
                    id,
                    new ModelSpec(
                            id,
                            null,
                            io.assay.contracts.Provider.SIM,
                            null,
                            null,
                            null,
                            null,
                            first.plusDays(4L * m),
                            null,
                            null,
                            null,
                            null,
                            null,
                            null));
        }
        Leaderboards.Context ctx = new Leaderboards.Context(models, null);
        BenchmarkTallies tallies = new BenchmarkTallies();
        ItemRuns runs = new ItemRuns(1, (key, s, others, otherModels) -> tallies.replace(0, key, null, s, others));
        scan(runs::accept);
        runs.finish();
        ViewQuery q = ViewQuery.of(View.POST_CUTOFF);
        StreamedViews.Counted counted =
                StreamedViews.counted("mmlu", tallies, NO_SCORES, ctx, q, AT).orElseThrow();
        for (int run = 0; run < 2; run++) {
            long start = System.nanoTime();
            LeaderboardSnapshot s = StreamedViews.build(
                            "mmlu", counted, ctx, q, AT, StreamedViewsBenchmark::scan, NO_SCORES)
                    .orElseThrow();
            System.out.printf(
                    "post-cutoff streamed over %,d slots (%,d counted, %d rows): %,6.0f ms%n",
                    SLOTS, s.judgments(), s.rows().size(), (System.nanoTime() - start) / 1e6);
        }
        long start = System.nanoTime();
        LeaderboardSnapshot made = tallies.kept()
                .build("mmlu", counted, ctx, q, AT, StreamedViewsBenchmark::scan, NO_SCORES)
                .orElseThrow();
        System.out.printf(
                "post-cutoff kept, made by a scan (%,d counted): %,6.0f ms%n",
                made.judgments(), (System.nanoTime() - start) / 1e6);
        int item = SLOTS / MODELS;
        for (int batch = 0; batch < 3; batch++) {
            long feedNanos = 0;
            int writes = 0;
            for (int i = 0; i < 100; i++, item++) {
                String itemId = "item-" + (100_000 + item);
                for (int m = 0; m < MODELS; m++) {
                    String modelId = "model-" + (1_000 + m);
                    String key = String.join(Fold.SEPARATOR, "mmlu", itemId, modelId, "v0", "exact", "1");
                    Slot s = StreamedViewsTest.withPublishedAt(
                            TalliesFootprintBenchmark.slot(
                                    item * MODELS + m,
                                    itemId,
                                    modelId,
                                    "v0",
                                    "category-" + item % 10,
                                    JudgmentKind.CORRECT),
                            AT);
                    long t = System.nanoTime();
                    tallies.kept().replace(key, null, s, List.of(), DeclaredPairs.NONE, List.of(), models);
                    feedNanos += System.nanoTime() - t;
                    tallies.replace(0, key, null, s, List.of());
                    writes++;
                }
            }
            start = System.nanoTime();
            LeaderboardSnapshot s = tallies.kept()
                    .build("mmlu", counted, ctx, q, AT, StreamedViewsBenchmark::scan, NO_SCORES)
                    .orElseThrow();
            System.out.printf(
                    "post-cutoff kept, read after %,d more writes (%,d counted, made %d time(s)): %,6.2f ms; "
                            + "feeding the kept view %,4.2f µs a write%n",
                    writes,
                    s.judgments(),
                    tallies.kept().made(),
                    (System.nanoTime() - start) / 1e6,
                    feedNanos / 1e3 / writes);
        }
    }

    /** The live heap, sampled after a GC every 100,000 slots (the time includes those GCs). */
    private static final class Peak {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private long max;
        private int calls;

        void sample() {
            if (++calls % 100_000 == 0) {
                System.gc();
                max = Math.max(max, memory.getHeapMemoryUsage().getUsed());
            }
        }
    }

    /** The slots in key order: item by item, model by model. */
    private static void scan(java.util.function.BiConsumer<String, Slot> action) {
        for (int i = 0; i < SLOTS; i++) {
            int item = i / MODELS;
            String itemId = "item-" + (100_000 + item);
            String modelId = "model-" + (1_000 + i % MODELS);
            String key = String.join(Fold.SEPARATOR, "mmlu", itemId, modelId, "v0", "exact", "1");
            Slot s = TalliesFootprintBenchmark.slot(
                    i, itemId, modelId, "v0", "category-" + item % 10, JudgmentKind.CORRECT);
            action.accept(key, StreamedViewsTest.withPublishedAt(s, AT.minus(Duration.ofHours(10_000 - item))));
        }
    }
}
