package io.assay.cli.bench;

import io.assay.aggregator.leaderboard.BenchmarkTallies;
import io.assay.aggregator.leaderboard.DeclaredPairs;
import io.assay.aggregator.leaderboard.ItemSlots;
import io.assay.aggregator.leaderboard.Leaderboards;
import io.assay.aggregator.leaderboard.Slot;
import io.assay.aggregator.leaderboard.TalliedViews;
import io.assay.aggregator.leaderboard.View;
import io.assay.aggregator.leaderboard.ViewQuery;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PairwiseOutcome;
import io.assay.contracts.Provider;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/**
 * {@code assay bench views}: the aggregator's views over a long history, in-process and with the
 * aggregator's own code. It folds N judgments of M models ({@link Kind}: reference verdicts, scores, pairs
 * against baselines or preferences; each item judged for a few of
 * them, as an imported benchmark) into a sorted slot map, the stand-in for the aggregator's {@code slots}
 * stores (the slot path reads it; each write hands the tallies the other slots of its item and model, and for a
 * reference verdict of a model with declared partners their slots on its item, as the fold reads them from the
 * store), and the
 * benchmark's {@link BenchmarkTallies}, and prints, at 10,000, 100,000 and N judgments of
 * history: the CPU per judgment of that bookkeeping, the latency of every view by the slot path
 * ({@link Leaderboards#build}, what every view cost before issue 15) and, where one answers, by the
 * tallies ({@link TalliedViews}), checking that both give the same snapshot; and the heap of both. Each model but
 * the first declares the one before it its previous version ({@link #successions}), so {@code regression} compares
 * M − 1 pairs.
 *
 * <p>What it leaves out: Kafka (the fold's store writes, commits and the changelog), REST and the
 * snapshot publisher; figures through the packaged aggregator are {@code PageLoadBenchmarkIT}'s.
 */
public final class ViewsBench {
    private static final String BENCHMARK = "views-bench";
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final int BATCH = 10_000;

    private ViewsBench() {}

    /**
     * What to fold.
     *
     * @param judgments the history's size
     * @param models the models
     * @param perItem the models judged on each item
     * @param categories the item categories
     * @param seed the seed of the verdicts
     * @param kind the judgments' kind
     * @param views the views to compute, every one when empty
     */
    public record Options(
            int judgments, int models, int perItem, int categories, long seed, Kind kind, List<View> views) {}

    /** What the history is made of. */
    public enum Kind {
        /** Reference verdicts (correct or not): {@code accuracy}, {@code format-spread}. */
        REFERENCE("reference"),
        /**
         * Reference verdicts on multiple-choice items that say where the correct choice was shown (A–D, drawn per
         * judgment; every tenth model right more often at A): {@code position-bias}, {@code accuracy}.
         */
        CHOICES("choice (4 positions)"),
        /** Scores on WildBench's 1–10 scale: {@code score}, {@code wb-score}. */
        SCORES("score (1–10)"),
        /**
         * Pairwise verdicts against {@value #BASELINES} baselines, with answer lengths: {@code wb-reward},
         * {@code bt}, {@code elo}.
         */
        PAIRWISE("pairwise (" + BASELINES + " baselines)"),
        /** AlpacaEval preferences in [1, 2] against one baseline, with lengths: {@code winrate}, {@code lc-winrate}. */
        PREFERENCES("preference (1 baseline)");

        private final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** The baselines of the pairwise history. */
    static final int BASELINES = 3;

    /** Runs the benchmark and prints its figures to {@code out}. */
    public static void run(Options o, PrintWriter out) {
        out.printf(
                "assay bench views: %,d %s judgments of %d models (%d per item, %,d items, %d categories), "
                        + "in-process; load %s%n",
                o.judgments(),
                o.kind().label,
                o.models(),
                o.perItem(),
                o.judgments() / o.perItem(),
                o.categories(),
                PipelineBench.load());
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        SplittableRandom random = new SplittableRandom(o.seed());
        double[] skill = new double[o.models()];
        for (int m = 0; m < o.models(); m++) {
            skill[m] = 0.2 + 0.7 * random.nextDouble();
        }
        double[] baselines = {-0.5, 0.0, 0.5};
        ConcurrentSkipListMap<String, Slot> mirror = new ConcurrentSkipListMap<>();
        BenchmarkTallies tallies = new BenchmarkTallies();
        // The regression pairs as the fold sees them: declared before the first judgment.
        DeclaredPairs pairs = DeclaredPairs.of(successions(o.models()));
        List<Integer> checkpoints = new ArrayList<>();
        for (int h : new int[] {10_000, 100_000, 1_000_000}) {
            if (h < o.judgments()) {
                checkpoints.add(h);
            }
        }
        checkpoints.add(o.judgments());
        int done = 0;
        for (int history : checkpoints) {
            long putNanos = 0;
            long tallyNanos = 0;
            int measured = 0;
            while (done < history) {
                int end = Math.min(history, done + BATCH);
                List<String> keys = new ArrayList<>(end - done);
                List<Slot> slots = new ArrayList<>(end - done);
                for (int i = done; i < end; i++) {
                    Slot s = slot(i, o, skill, baselines, random);
                    keys.add(key(s));
                    slots.add(s);
                }
                long a = cpu.getCurrentThreadCpuTime();
                List<Slot> old = new ArrayList<>(slots.size());
                List<List<Slot>> others = new ArrayList<>(slots.size());
                List<List<Slot>> partnerSlots = new ArrayList<>(slots.size());
                for (int i = 0; i < slots.size(); i++) {
                    // What the fold reads beside the slot in the store: its item and model's other slots, and for a
                    // reference verdict of a model with declared partners their slots on its item.
                    others.add(BenchmarkTallies.others(mirror, keys.get(i)));
                    partnerSlots.add(
                            BenchmarkTallies.readsPartners(null, slots.get(i), pairs)
                                    ? BenchmarkTallies.partnerSlots(mirror, keys.get(i), slots.get(i), pairs)
                                    : List.of());
                    old.add(mirror.put(keys.get(i), slots.get(i)));
                }
                long b = cpu.getCurrentThreadCpuTime();
                for (int i = 0; i < slots.size(); i++) {
                    tallies.replace(
                            0, keys.get(i), old.get(i), slots.get(i), others.get(i), pairs, partnerSlots.get(i));
                }
                long c = cpu.getCurrentThreadCpuTime();
                if (end == history) {
                    // The last batch before the checkpoint: the cost of a judgment on top of this history.
                    putNanos = b - a;
                    tallyNanos = c - b;
                    measured = slots.size();
                }
                done = end;
            }
            out.printf(
                    "%n[history %,d] fold CPU per judgment (last %,d): slot map %.2f us, tallies %.2f us; load %s%n",
                    history, measured, putNanos / 1e3 / measured, tallyNanos / 1e3 / measured, PipelineBench.load());
            out.flush();
            views(history, mirror, tallies, o.models(), o.views().isEmpty() ? List.of(View.values()) : o.views(), out);
        }
        long withTallies = usedAfterGc();
        // Read after the GC, so the tallies are still reachable while it measures.
        long count = tallies.slots();
        tallies = null;
        long slotsOnly = usedAfterGc();
        out.printf(
                "%n[history %,d] heap after GC: slot map %.0f MiB, tallies %.0f MiB (%,d slots tallied, %,d in the map)%n",
                o.judgments(), slotsOnly / 1048576.0, (withTallies - slotsOnly) / 1048576.0, count, mirror.size());
        out.flush();
    }

    private static void views(
            int history,
            ConcurrentSkipListMap<String, Slot> mirror,
            BenchmarkTallies tallies,
            int models,
            List<View> views,
            PrintWriter out) {
        Leaderboards.Context ctx = new Leaderboards.Context(successions(models), null);
        long[] read = new long[1];
        Supplier<List<Slot>> slots = () -> {
            long start = System.nanoTime();
            List<Slot> list = new ArrayList<>(mirror.values());
            read[0] = System.nanoTime() - start;
            return list;
        };
        out.printf("  %-14s %24s %24s  %s%n", "view", "slot path first / again", "tallies first / again", "same");
        for (View view : views) {
            ViewQuery q = ViewQuery.of(view);
            List<Slot> list = slots.get();
            long[] slotPath = new long[2];
            LeaderboardSnapshot expected = null;
            for (int i = 0; i < 2; i++) {
                long start = System.nanoTime();
                expected = Leaderboards.build(BENCHMARK, list, ctx, q, T0);
                slotPath[i] = System.nanoTime() - start;
            }
            String tallied = "slots (not incremental)";
            String same = "";
            if (TalliedViews.answers(tallies, q)) {
                long[] t = new long[2];
                LeaderboardSnapshot actual = null;
                for (int i = 0; i < 2; i++) {
                    long start = System.nanoTime();
                    actual = TalliedViews.build(BENCHMARK, tallies, ItemSlots.of(mirror), ctx, q, T0)
                            .orElseThrow();
                    t[i] = System.nanoTime() - start;
                }
                tallied = ms(t[0]) + " / " + ms(t[1]);
                same = expected.equals(actual) ? "yes" : "NO";
            }
            out.printf(
                    "  %-14s %24s %24s  %s%n",
                    view.wireName(), ms(slotPath[0]) + " / " + ms(slotPath[1]), tallied, same);
            out.flush();
        }
        out.printf(
                "  (history %,d: reading the slots in key order, which the slot path adds, %s; load %s)%n",
                history, ms(read[0]), PipelineBench.load());
    }

    /**
     * The registered models: each model but the first declares the one before it its previous version (m1 follows
     * m0, ...), so {@code regression} compares {@code models − 1} pairs.
     */
    static Map<String, ModelSpec> successions(int models) {
        Map<String, ModelSpec> out = new HashMap<>();
        for (int m = 0; m < models; m++) {
            String previous = m == 0 ? null : "m" + (m - 1);
            out.put(
                    "m" + m,
                    new ModelSpec(
                            "m" + m,
                            null,
                            Provider.OPENAI,
                            null,
                            null,
                            null,
                            null,
                            null,
                            previous,
                            null,
                            null,
                            null,
                            null,
                            null));
        }
        return out;
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /**
     * Judgment {@code i}: item {@code i / perItem}, one of its models, correct with the model's skill (choices: with
     * its position bias; or a
     * 1–10 score around 1 + 9·skill, 2% of answers truncated; or a pairwise outcome or a preference, see
     * {@link #compared}).
     */
    private static Slot slot(int i, Options o, double[] skill, double[] baselines, SplittableRandom random) {
        int item = i / o.perItem();
        int model = (item * 37 + i % o.perItem()) % o.models();
        String category = "c" + item % o.categories();
        boolean unparseable = random.nextInt(100) == 0;
        if (o.kind() == Kind.PAIRWISE || o.kind() == Kind.PREFERENCES) {
            return compared(i, item, model, category, unparseable, o, skill, baselines, random);
        }
        if (o.kind() == Kind.SCORES) {
            double score = Math.max(1, Math.min(10, Math.round(1 + 9 * skill[model] + 2 * random.nextGaussian())));
            return new Slot(
                    "j" + i,
                    1,
                    false,
                    category,
                    unparseable,
                    "q" + item,
                    "m" + model,
                    JudgmentKind.SCORE,
                    null,
                    "grader",
                    unparseable ? null : score,
                    null,
                    null,
                    100,
                    null,
                    random.nextInt(50) == 0,
                    null,
                    T0,
                    T0.plusMillis(i),
                    "r" + i,
                    null,
                    1.0,
                    10.0,
                    List.of(category),
                    "1",
                    null,
                    null,
                    null);
        }
        Integer position = o.kind() == Kind.CHOICES ? random.nextInt(4) : null;
        // An A-biased model: right more often where the correct choice is shown first, less elsewhere.
        double bias = position == null || model % 10 != 0 ? 0 : position == 0 ? 0.2 : -0.07;
        return new Slot(
                "j" + i,
                1,
                !unparseable && random.nextDouble() < skill[model] + bias,
                category,
                unparseable,
                "q" + item,
                "m" + model,
                JudgmentKind.CORRECT,
                null,
                "exact",
                null,
                null,
                null,
                100,
                null,
                false,
                null,
                T0,
                T0.plusMillis(i),
                "r" + i,
                null,
                null,
                null,
                List.of(category),
                "1",
                null,
                null,
                null,
                position);
    }

    /**
     * A pairwise verdict or a preference of model {@code model} against a baseline (pairwise: baseline
     * {@code (item + i) mod 3}, of ability −0.5, 0 or 0.5; preference: the middle one). With the model's
     * ability θ = 3·(skill − 0.55) and d = θ − θ_baseline + N(0, 1) the item's fit, the pairwise outcome is
     * d plus a standard logistic draw cut at ±0.5 (tie) and ±2 (much better / worse), as {@code
     * CoverageSimulation}; the preference is 1 + σ(d + logistic), 1% none (0). Answer lengths ~ 900 + 400·N(0,
     * 1) code points (at least 20), the longer answer a little likelier to win (0.1 per 1,000 characters on
     * d); 2% truncated; 1% unparseable. Preferences carry the item's instruction difficulty N(0, 1).
     */
    private static Slot compared(
            int i,
            int item,
            int model,
            String category,
            boolean unparseable,
            Options o,
            double[] skill,
            double[] baselines,
            SplittableRandom random) {
        boolean pairwise = o.kind() == Kind.PAIRWISE;
        int b = pairwise ? (item + i) % BASELINES : 1;
        int answer = Math.max(20, (int) Math.round(900 + 400 * random.nextGaussian()));
        int baseline = Math.max(20, (int) Math.round(900 + 400 * random.nextGaussian()));
        double d = 3 * (skill[model] - 0.55) - baselines[b] + random.nextGaussian() + (answer - baseline) / 10_000.0;
        double z = d + logistic(random);
        PairwiseOutcome outcome = null;
        Double preference = null;
        if (!unparseable && pairwise) {
            outcome = z > 2
                    ? PairwiseOutcome.MUCH_BETTER
                    : z > 0.5
                            ? PairwiseOutcome.BETTER
                            : z >= -0.5
                                    ? PairwiseOutcome.TIE
                                    : z >= -2 ? PairwiseOutcome.WORSE : PairwiseOutcome.MUCH_WORSE;
        } else if (!unparseable) {
            preference = random.nextInt(100) == 0 ? 0.0 : 1 + 1 / (1 + Math.exp(-z));
        }
        return new Slot(
                "j" + i,
                1,
                false,
                category,
                unparseable,
                "q" + item,
                "m" + model,
                pairwise ? JudgmentKind.PAIRWISE : JudgmentKind.PREFERENCE,
                null,
                pairwise ? "wb-judge" : "alpaca-judge",
                null,
                outcome,
                "base-" + (char) ('a' + b),
                answer,
                baseline,
                random.nextInt(50) == 0,
                preference,
                T0,
                T0.plusMillis(i),
                "r" + i,
                null,
                null,
                null,
                List.of(category),
                "1",
                pairwise ? null : gamma(item),
                null,
                null);
    }

    /** The item's instruction difficulty γ ~ N(0, 1), the same for every judgment of the item. */
    private static double gamma(int item) {
        return new SplittableRandom(item * 0x9e3779b97f4a7c15L).nextGaussian();
    }

    private static double logistic(SplittableRandom random) {
        double u = random.nextDouble();
        while (u == 0) {
            u = random.nextDouble();
        }
        return Math.log(u / (1 - u));
    }

    private static String key(Slot s) {
        String key = String.join("|", BENCHMARK, s.itemId(), s.modelId(), "-", s.judgeId(), s.judgeVersion());
        return s.baseline() == null ? key : key + "|" + s.baseline();
    }

    private static String ms(long nanos) {
        return nanos >= 1e9 ? String.format("%.2f s", nanos / 1e9) : String.format("%.2f ms", nanos / 1e6);
    }
}
