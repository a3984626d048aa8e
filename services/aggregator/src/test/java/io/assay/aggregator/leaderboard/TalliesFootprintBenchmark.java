package io.assay.aggregator.leaderboard;

import io.assay.contracts.JudgmentKind;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Heap the aggregator retains for a benchmark's reference verdicts, and the tallies' CPU per verdict (the
 * slots beside it in the store handed in, not read: the store's prefix scan is not included), at
 * 100,000 and 1,000,000 slots of 100 models (what {@code SlotTallies} keeps: {@link BenchmarkTallies},
 * whose ledger keeps {@link BenchmarkTallies#TAIL} verdicts per judge version and partition), against, in
 * the same run, what the slot mirror and the ledger kept before: every slot decoded per partition and the
 * whole ledger (the per-item counts the accuracy cells kept too until they read them from the store are
 * not included: this run measures without them). Two shapes: the items grow with the verdicts (one variant each, so 1,000 and 10,000
 * items), and a fixed 1,000 items whose variants grow (1 and 10). The same for score verdicts on 1–10 (their
 * tallies keep two tails per judge version and partition and, per scale, model and category, exact sums and
 * the bootstrap's replicate sums; no item's scores). Prints figures, asserts nothing:
 * {@code ./mvnw -o -q test -pl services/aggregator -am -Dtest=TalliesFootprintBenchmark -Dassay.bench=tallies
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "assay.bench", matches = "tallies")
class TalliesFootprintBenchmark {
    private static final int MODELS = 100;
    private static final int PARTITIONS = 6;
    private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void retainedHeapAndCpuPerVerdict() throws InterruptedException {
        for (boolean growingItems : new boolean[] {true, false}) {
            for (int slots : new int[] {100_000, 1_000_000}) {
                int items = growingItems ? slots / MODELS : 1_000;
                measure("now   ", slots, items, false, JudgmentKind.CORRECT);
                if (slots == 100_000) {
                    measure("mirror", slots, items, true, JudgmentKind.CORRECT);
                }
            }
        }
    }

    @Test
    void retainedHeapAndCpuPerScoreVerdict() throws InterruptedException {
        for (boolean growingItems : new boolean[] {true, false}) {
            for (int slots : new int[] {100_000, 1_000_000}) {
                measure("now   ", slots, growingItems ? slots / MODELS : 1_000, false, JudgmentKind.SCORE);
            }
        }
    }

    private static void measure(String label, int slots, int items, boolean before, JudgmentKind kind)
            throws InterruptedException {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long heapBefore = usedAfterGc();
        BenchmarkTallies tallies = new BenchmarkTallies(before ? Integer.MAX_VALUE : BenchmarkTallies.TAIL);
        Map<Integer, ConcurrentSkipListMap<String, Slot>> mirror = new HashMap<>();
        int variants = slots / MODELS / items;
        // The other variants of the current item per model: what the fold reads beside a slot in the store.
        Map<String, java.util.List<Slot>> others = new HashMap<>();
        long start = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < slots; i++) {
            int item = i / (MODELS * variants);
            int model = i % MODELS;
            int variant = i / MODELS % variants;
            String itemId = "item-" + item;
            String modelId = "model-" + model;
            Slot slot = slot(i, itemId, modelId, "v" + variant, "category-" + item % 10, kind);
            String key = String.join(Fold.SEPARATOR, "mmlu", itemId, modelId, "v" + variant, "exact", "1");
            int partition = item % PARTITIONS;
            if (i % (MODELS * variants) == 0) {
                tallies.items(1);
                others.clear();
            }
            java.util.List<Slot> beside = others.computeIfAbsent(modelId, m -> new java.util.ArrayList<>());
            tallies.replace(partition, key, null, slot, java.util.List.copyOf(beside));
            beside.add(slot);
            if (before) {
                mirror.computeIfAbsent(partition, p -> new ConcurrentSkipListMap<>())
                        .put(key, slot);
            }
        }
        double cpuPerSlot = (cpu.getCurrentThreadCpuTime() - start) / 1000.0 / slots;
        long retained = usedAfterGc() - heapBefore;
        if (tallies.slots() != slots || tallies.items() != items) {
            throw new IllegalStateException("tallies lost slots");
        }
        System.out.printf(
                "tallies %s %,9d %s slots (%,6d items x %3d variants x %d models): retained %,7.1f MiB "
                        + "(%5.0f bytes/slot), %.2f us CPU/slot%n",
                label,
                slots,
                kind == JudgmentKind.SCORE ? "score" : "reference",
                items,
                variants,
                MODELS,
                retained / 1048576.0,
                retained / (double) slots,
                cpuPerSlot);
        if (mirror.size() > PARTITIONS) {
            throw new IllegalStateException("kept alive until measured");
        }
    }

    /** A verdict of {@code kind}: a reference one, or a score on 1–10 (1 in 50 unparseable, without one). */
    static Slot slot(int i, String itemId, String modelId, String variant, String category, JudgmentKind kind) {
        boolean score = kind == JudgmentKind.SCORE;
        boolean unparseable = i % 50 == 0;
        return new Slot(
                "judgment-" + i,
                1,
                i % 3 != 0,
                category,
                unparseable,
                itemId,
                modelId,
                kind,
                null,
                "exact",
                score && !unparseable ? 1.0 + i % 10 : null,
                null,
                null,
                null,
                null,
                false,
                null,
                AT,
                AT.plusMillis(i),
                "request-" + i,
                null,
                score && !unparseable ? 1.0 : null,
                score && !unparseable ? 10.0 : null,
                null,
                "1",
                null,
                null,
                null);
    }

    /** The heap in use after five full GCs. */
    static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
