package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.WbReward;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.PairwiseOutcome;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Heap the aggregator retains for a benchmark's preference verdicts ({@link PreferenceTallies}, {@code
 * winrate}) and pairwise verdicts ({@link PairwiseTallies}, {@code wb-reward}; the {@link BattleTally} of
 * {@code bt} and {@code elo} is not included), and their CPU per verdict (the slots beside it in the store
 * handed in, not read), at 100,000 and 1,000,000 slots of 100 models against one baseline, in the two
 * shapes of {@link TalliesFootprintBenchmark}: the items grow with the verdicts (one variant each), and a
 * fixed 1,000 items whose variants grow. Prints figures, asserts nothing: {@code ./mvnw -o -q test -pl
 * services/aggregator -am -Dtest=RewardTalliesFootprintBenchmark -Dassay.bench=tallies
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "assay.bench", matches = "tallies")
class RewardTalliesFootprintBenchmark {
    private static final int MODELS = 100;
    private static final int PARTITIONS = 6;
    private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");

    /** One kind's tallies, fed as {@link BenchmarkTallies#replace} feeds them. */
    private interface Tallies {
        void add(int partition, String key, Slot s, List<Slot> others);
    }

    @Test
    void retainedHeapAndCpuPerPreferenceAndPairwiseVerdict() throws InterruptedException {
        for (JudgmentKind kind : new JudgmentKind[] {JudgmentKind.PREFERENCE, JudgmentKind.PAIRWISE}) {
            for (boolean growingItems : new boolean[] {true, false}) {
                for (int slots : new int[] {100_000, 1_000_000}) {
                    measure(kind, slots, growingItems ? slots / MODELS : 1_000);
                }
            }
        }
    }

    private static void measure(JudgmentKind kind, int slots, int items) throws InterruptedException {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long heapBefore = TalliesFootprintBenchmark.usedAfterGc();
        Object kept;
        Tallies tallies;
        if (kind == JudgmentKind.PREFERENCE) {
            PreferenceTallies t = new PreferenceTallies(BenchmarkTallies.TAIL);
            tallies = (partition, key, s, others) -> t.add(partition, key, s, 1, others);
            kept = t;
        } else {
            PairwiseTallies t = new PairwiseTallies(BenchmarkTallies.TAIL, WbReward.DEFAULT_K);
            tallies = (partition, key, s, others) -> t.add(partition, key, s, 1);
            kept = t;
        }
        int variants = slots / MODELS / items;
        // The other variants of the current item per model: what the fold reads beside a slot in the store.
        Map<String, List<Slot>> others = new HashMap<>();
        long start = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < slots; i++) {
            int item = i / (MODELS * variants);
            String itemId = "item-" + item;
            String modelId = "model-" + i % MODELS;
            String variant = "v" + i / MODELS % variants;
            Slot slot = slot(kind, i, itemId, modelId, variant, "category-" + item % 10);
            String key = String.join(Fold.SEPARATOR, "b", itemId, modelId, variant, "judge", "1", "base");
            if (i % (MODELS * variants) == 0) {
                others.clear();
            }
            List<Slot> beside = others.computeIfAbsent(modelId, m -> new ArrayList<>());
            tallies.add(item % PARTITIONS, key, slot, List.copyOf(beside));
            beside.add(slot);
        }
        double cpuPerSlot = (cpu.getCurrentThreadCpuTime() - start) / 1000.0 / slots;
        others.clear();
        long retained = TalliesFootprintBenchmark.usedAfterGc() - heapBefore;
        System.out.printf(
                "tallies %-10s %,9d slots (%,6d items x %3d variants x %d models): retained %,7.1f MiB "
                        + "(%5.0f bytes/slot), %.2f us CPU/slot%n",
                kind.name().toLowerCase(java.util.Locale.ROOT),
                slots,
                items,
                variants,
                MODELS,
                retained / 1048576.0,
                retained / (double) slots,
                cpuPerSlot);
        if (kept.hashCode() == 0) {
            throw new IllegalStateException("kept alive until measured");
        }
    }

    private static Slot slot(JudgmentKind kind, int i, String itemId, String modelId, String variant, String category) {
        boolean preference = kind == JudgmentKind.PREFERENCE;
        return new Slot(
                "judgment-" + i,
                1,
                false,
                category,
                i % 50 == 0,
                itemId,
                modelId,
                kind,
                variant,
                "judge",
                null,
                preference ? null : PairwiseOutcome.values()[i % PairwiseOutcome.values().length],
                "base",
                100 + i % 900,
                100 + i % 700,
                i % 40 == 0,
                // AlpacaEval's preferences are fractions in [1, 2]: a BigDecimal of some 50 digits each
                preference ? 1 + (i % 997) / 997.0 : null,
                AT,
                AT.plusMillis(i),
                "request-" + i,
                null,
                null,
                null,
                List.of(category),
                "1",
                null,
                null,
                null);
    }
}
