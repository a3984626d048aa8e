package io.assay.aggregator.leaderboard;

import io.assay.aggregator.leaderboard.BenchmarkTallies.Entry;
import io.assay.contracts.PairwiseOutcome;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Heap a {@link BattleTally} retains for one judge version's pairwise battles ({@code bt}'s counts with the
 * bootstrap replicates, elo's ratings and checkpoints, the partitions' tails), and its CPU per battle with
 * elo read every 1,000 battles (a replay when stale), at 100,000 and 1,000,000 battles of 100 models against
 * 3 baselines, one item per 100 battles, items spread over 6 partitions: in ledger order, and interleaved
 * as Kafka Streams delivers them (each partition's battles in ledger order, the partitions taking turns,
 * so most arrive up to some 600 places out of ledger order). Against, at 100,000, a tally that keeps
 * every battle with a checkpoint every 4,096 (what it kept before). {@code wb-reward}'s tallies of the
 * same slots are not included. Prints figures, asserts nothing: {@code ./mvnw -o -q test -pl
 * services/aggregator -am -Dtest=BattleFootprintBenchmark -Dassay.bench=tallies
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "assay.bench", matches = "tallies")
class BattleFootprintBenchmark {
    private static final int MODELS = 100;
    private static final int PARTITIONS = 6;
    private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void retainedHeapAndCpuPerBattle() throws InterruptedException {
        measure("warm-up", 100_000, true, false);
        for (int battles : new int[] {100_000, 1_000_000}) {
            for (boolean interleaved : new boolean[] {false, true}) {
                measure("now    ", battles, interleaved, false);
                if (battles == 100_000) {
                    measure("before ", battles, interleaved, true);
                }
            }
        }
    }

    private static void measure(String label, int battles, boolean interleaved, boolean before)
            throws InterruptedException {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long heapBefore = TalliesFootprintBenchmark.usedAfterGc();
        List<Entry> ledger = ledger(battles);
        int[] order = interleaved ? interleaved(battles) : null;
        BattleTally tally = before
                ? new BattleTally(true, Integer.MAX_VALUE, 4096)
                : new BattleTally(true, BattleTally.capacity(BenchmarkTallies.TAIL), BattleTally.CHECKPOINT);
        long unanswered = 0;
        long start = cpu.getCurrentThreadCpuTime();
        for (int w = 0; w < battles; w++) {
            int i = order == null ? w : order[w];
            tally.add(partition(i), ledger.get(i), 1);
            if (w % 1000 == 999 && tally.elo() == null) {
                unanswered++;
            }
        }
        double cpuPerBattle = (cpu.getCurrentThreadCpuTime() - start) / 1000.0 / battles;
        ledger = null;
        order = null;
        long retained = TalliesFootprintBenchmark.usedAfterGc() - heapBefore;
        System.out.printf(
                "battles %s %,9d battles %-11s: retained %,7.1f MiB (%6.1f bytes/battle), %.2f us CPU/battle "
                        + "(elo read every 1,000: %d unanswered), %d checkpoints%n",
                label,
                battles,
                interleaved ? "interleaved" : "in order",
                retained / 1048576.0,
                retained / (double) battles,
                cpuPerBattle,
                unanswered,
                tally.checkpoints());
        if (tally.judgments() != battles) {
            throw new IllegalStateException("the tally lost battles");
        }
    }

    /** The battles in ledger order. */
    private static List<Entry> ledger(int battles) {
        SplittableRandom r = new SplittableRandom(1);
        List<Entry> out = new ArrayList<>(battles);
        for (int i = 0; i < battles; i++) {
            String item = "item-" + i / MODELS;
            String model = "model-" + i % MODELS;
            String baseline = "baseline-" + r.nextInt(3);
            PairwiseOutcome outcome = PairwiseOutcome.values()[r.nextInt(PairwiseOutcome.values().length)];
            String key = String.join(Fold.SEPARATOR, "arena", item, model, "v0", "judge", "1", baseline);
            out.add(new Entry(
                    key,
                    BattleViewsTiming.slot(
                            "judgment-" + i, item, model, baseline, outcome, r.nextInt(100) == 0, AT.plusMillis(i))));
        }
        return out;
    }

    /** Items spread over the partitions, as the slot keys' partitioner spreads them. */
    private static int partition(int battle) {
        return battle / MODELS % PARTITIONS;
    }

    /**
     * The ledger positions in arrival order: the partitions take turns, each delivering its battles judged
     * before a frontier that moves on by 1 to 600 battles a round (about 1 to 100 of each partition's), so
     * a battle arrives up to some 600 places out of ledger order.
     */
    private static int[] interleaved(int battles) {
        SplittableRandom r = new SplittableRandom(2);
        int[] next = new int[PARTITIONS];
        int[] order = new int[battles];
        int w = 0;
        for (int frontier = 0; w < battles; ) {
            frontier += 1 + r.nextInt(100 * PARTITIONS);
            for (int p = 0; p < PARTITIONS; p++) {
                for (int i = position(p, next[p]); i < Math.min(frontier, battles); i = position(p, ++next[p])) {
                    order[w++] = i;
                }
            }
        }
        return order;
    }

    /** The ledger position of partition {@code p}'s {@code k}th battle ({@link #partition}'s blocks of items). */
    private static int position(int p, int k) {
        return (k / MODELS * PARTITIONS + p) * MODELS + k % MODELS;
    }
}
