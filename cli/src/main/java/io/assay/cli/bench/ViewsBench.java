package io.assay.cli.bench;

import io.assay.aggregator.leaderboard.BenchmarkTallies;
import io.assay.aggregator.leaderboard.DeclaredPairs;
import io.assay.aggregator.leaderboard.IrtCells;
import io.assay.aggregator.leaderboard.ItemSlots;
import io.assay.aggregator.leaderboard.LabelledItems;
import io.assay.aggregator.leaderboard.Leaderboards;
import io.assay.aggregator.leaderboard.Slot;
import io.assay.aggregator.leaderboard.StreamedViews;
import io.assay.aggregator.leaderboard.TalliedViews;
import io.assay.aggregator.leaderboard.View;
import io.assay.aggregator.leaderboard.ViewQuery;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Provider;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * ({@link Leaderboards#build}, what every view cost before issue 15) and by the path the aggregator's reader takes
 * before it where it has one ({@link #incremental}: the tallies, a streamed view, the labelled items, {@code irt}'s
 * cells), checking that both give the same snapshot; then {@code irt} on a live benchmark (new items folded between
 * its computations), the heap of both, and issue 15's goal for the views. Each model but the first declares the one
 * before it its previous version ({@link #successions}), so {@code regression} compares M − 1 pairs.
 *
 * <p>What it leaves out: Kafka (the fold's store writes, commits and the changelog), REST and the
 * snapshot publisher; figures through the packaged aggregator are {@code PageLoadBenchmarkIT}'s.
 */
public final class ViewsBench {
    private static final String BENCHMARK = "views-bench";
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final int BATCH = 10_000;
    /** The new judgments before each computation of {@code irt} on a live benchmark. */
    static final int LIVE_JUDGMENTS = 300;
    /**
     * Its computations: the median of 12, each printed (one in two or three pauses for a young collection, 5–90 ms
     * under the serial collector, which a median of 5 let through).
     */
    static final int LIVE_ROUNDS = 12;
    /** Issue 15's goal for a view's latency. */
    private static final long GOAL_NANOS = 100_000_000L;

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
         * Pairwise verdicts against three baselines, with answer lengths: {@code wb-reward},
         * {@code bt}, {@code elo}.
         */
        PAIRWISE("pairwise (" + SyntheticHistory.BASELINES.size() + " baselines)"),
        /** AlpacaEval preferences in [1, 2] against one baseline, with lengths: {@code winrate}, {@code lc-winrate}. */
        PREFERENCES("preference (1 baseline)");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** What the history is made of, as the benches print it. */
        String label() {
            return label;
        }
    }

    /**
     * This JVM's garbage collectors, as the figures depend on them: {@code Copy, MarkSweepCompact} is the serial
     * collector, the aggregator's ({@code ./assay} starts this bench with it).
     */
    static String collectors() {
        return String.join(
                ", ",
                ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(GarbageCollectorMXBean::getName)
                        .toList());
    }

    /** Runs the benchmark and prints its figures to {@code out}. */
    public static void run(Options o, PrintWriter out) {
        out.printf(
                "assay bench views: %,d %s judgments of %d models (%d per item, %,d items, %d categories), "
                        + "in-process (collectors: %s); load %s%n",
                o.judgments(),
                o.kind().label,
                o.models(),
                o.perItem(),
                o.judgments() / o.perItem(),
                o.categories(),
                collectors(),
                PipelineBench.load());
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
        History fold = new History(
                new SyntheticHistory(BENCHMARK, o.models(), o.perItem(), o.categories(), o.seed(), o.kind()),
                mirror,
                tallies,
                pairs);
        IrtCells.Cache irt = new IrtCells.Cache();
        Map<View, Figure> last = new LinkedHashMap<>();
        for (int history : checkpoints) {
            History.Cost cost = fold.upTo(history);
            out.printf(
                    "%n[history %,d] fold CPU per judgment (last %,d): slot map %.2f us, tallies %.2f us; load %s%n",
                    history,
                    cost.judgments(),
                    cost.putNanos() / 1e3 / cost.judgments(),
                    cost.tallyNanos() / 1e3 / cost.judgments(),
                    PipelineBench.load());
            out.flush();
            last = views(
                    history,
                    mirror,
                    tallies,
                    irt,
                    o.models(),
                    o.views().isEmpty() ? List.of(View.values()) : o.views(),
                    out);
        }
        if (last.containsKey(View.IRT) && last.get(View.IRT).path().equals("cells")) {
            last.put(View.IRT, live(fold, irt, o, out));
        }
        int history = fold.done();
        irt = null;
        fold = null;
        long withTallies = usedAfterGc();
        // Read after the GC, so the tallies are still reachable while it measures.
        long count = tallies.slots();
        tallies = null;
        long slotsOnly = usedAfterGc();
        out.printf(
                "%n[history %,d] heap after GC: slot map %.0f MiB, tallies %.0f MiB (%,d slots tallied, %,d in the map)%n",
                history, slotsOnly / 1048576.0, (withTallies - slotsOnly) / 1048576.0, count, mirror.size());
        goal(o, last, out);
    }

    /**
     * The history as the aggregator folds it: judgment after judgment ({@link SyntheticHistory}, read as
     * {@link Slot#of} reads it) written to the slot map and handed to the tallies with what the fold reads beside it
     * in the store.
     */
    private static final class History {
        private final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        private final SyntheticHistory verdicts;
        final ConcurrentSkipListMap<String, Slot> mirror;
        final BenchmarkTallies tallies;
        private final DeclaredPairs pairs;
        private int done;

        /** The CPU the last batch before a history took: writing the slot map, then the tallies. */
        record Cost(long putNanos, long tallyNanos, int judgments) {}

        History(
                SyntheticHistory verdicts,
                ConcurrentSkipListMap<String, Slot> mirror,
                BenchmarkTallies tallies,
                DeclaredPairs pairs) {
            this.verdicts = verdicts;
            this.mirror = mirror;
            this.tallies = tallies;
            this.pairs = pairs;
        }

        /** The judgments folded so far. */
        int done() {
            return done;
        }

        /** Folds the judgments up to {@code history}, in batches of {@link #BATCH}; the cost of the last batch. */
        Cost upTo(int history) {
            Cost cost = new Cost(0, 0, 0);
            while (done < history) {
                int end = Math.min(history, done + BATCH);
                List<String> keys = new ArrayList<>(end - done);
                List<Slot> slots = new ArrayList<>(end - done);
                for (int i = done; i < end; i++) {
                    Slot s = Slot.of(verdicts.judgment(i), 1);
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
                cost = new Cost(b - a, c - b, slots.size());
                done = end;
            }
            return cost;
        }
    }

    /** A view's figure at a history: its steady latency by the path the aggregator takes, and which path. */
    record Figure(long nanos, String path) {}

    /**
     * Every view of {@code views} over the history: by the slot path and, where the aggregator answers it otherwise,
     * by that path ({@link TalliedViews}; {@code irt} through its cells, {@link IrtCells}, the cache {@code irt} kept
     * from one history to the next as the reader keeps it), each twice, checked equal. Returns each view's second
     * figure by the aggregator's path.
     */
    private static Map<View, Figure> views(
            int history,
            ConcurrentSkipListMap<String, Slot> mirror,
            BenchmarkTallies tallies,
            IrtCells.Cache irt,
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
        Map<View, Figure> figures = new LinkedHashMap<>();
        out.printf("  %-15s %24s %32s  %s%n", "view", "slot path first / again", "incremental first / again", "same");
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
            String figure = "slots (not incremental)";
            String same = "";
            figures.put(view, new Figure(slotPath[1], "slot path"));
            Optional<Path> incremental = incremental(mirror, tallies, irt, ctx, q);
            if (incremental.isPresent()) {
                long[] t = new long[2];
                LeaderboardSnapshot actual = null;
                for (int i = 0; i < 2; i++) {
                    long start = System.nanoTime();
                    actual = incremental.get().build().get();
                    t[i] = System.nanoTime() - start;
                }
                String path = incremental.get().name();
                figure = path + " " + ms(t[0]) + " / " + ms(t[1]);
                same = expected.equals(actual) ? "yes" : "NO";
                figures.put(view, new Figure(t[1], path));
            }
            out.printf(
                    "  %-15s %24s %32s  %s%n",
                    view.wireName(), ms(slotPath[0]) + " / " + ms(slotPath[1]), figure, same);
            out.flush();
        }
        out.printf(
                "  (history %,d: reading the slots in key order, which the slot path adds, %s; load %s)%n",
                history, ms(read[0]), PipelineBench.load());
        if (figures.containsKey(View.POST_CUTOFF) || figures.containsKey(View.JUDGE_AGREEMENT)) {
            out.println("  (no model here declares a knowledge cutoff, so post-cutoff's streamed path has no slot to"
                    + " scan; no item has a human label, so judge-agreement's labelled items are none)");
        }
        return figures;
    }

    /** A path other than the slot path: its name and a computation of the view by it. */
    private record Path(String name, Supplier<LeaderboardSnapshot> build) {}

    /**
     * The path {@code LeaderboardReader} takes for {@code q} before the slot path, trying them in its order: the
     * tallies ({@link TalliedViews}), fresh tallies of a streamed view ({@link StreamedViews}, one scan; the reader
     * keeps some in step with the writes, {@code KeptStreams}, not measured here), the labelled items ({@link
     * LabelledItems}) and {@code irt}'s cells; empty when the slot path is the only one.
     */
    private static Optional<Path> incremental(
            ConcurrentSkipListMap<String, Slot> mirror,
            BenchmarkTallies tallies,
            IrtCells.Cache irt,
            Leaderboards.Context ctx,
            ViewQuery q) {
        ItemSlots stored = ItemSlots.of(mirror);
        if (TalliedViews.answers(tallies, q)) {
            return Optional.of(new Path(
                    "tallies",
                    () -> TalliedViews.build(BENCHMARK, tallies, stored, ctx, q, T0)
                            .orElseThrow()));
        }
        Optional<StreamedViews.Counted> streamed = StreamedViews.counted(BENCHMARK, tallies, stored, ctx, q, T0);
        if (streamed.isPresent()) {
            return Optional.of(new Path(
                    "streamed",
                    () -> StreamedViews.build(BENCHMARK, streamed.get(), ctx, q, T0, mirror::forEach, stored)
                            .orElseThrow()));
        }
        Optional<LabelledItems.Plan> labelled = LabelledItems.plan(tallies, q);
        if (labelled.isPresent()) {
            LabelledItems.Cache parts = new LabelledItems.Cache();
            return Optional.of(new Path(
                    "labelled items",
                    () -> parts.build(
                            BENCHMARK,
                            labelled.get(),
                            (prefix, action) -> mirror.subMap(prefix, prefix + Character.MAX_VALUE)
                                    .values()
                                    .forEach(action),
                            Long.MAX_VALUE,
                            () -> new IllegalStateException("no limit here, yet refused"),
                            ctx,
                            q,
                            T0)));
        }
        if (IrtCells.plan(tallies, ctx, q, irt.position()).isPresent()) {
            return Optional.of(new Path("cells", () -> cells(mirror, tallies, irt, ctx, q)));
        }
        return Optional.empty();
    }

    /** {@code irt} as the reader computes it: the tallies' plan, then the cells written since through {@code cache}. */
    private static LeaderboardSnapshot cells(
            ConcurrentSkipListMap<String, Slot> mirror,
            BenchmarkTallies tallies,
            IrtCells.Cache cache,
            Leaderboards.Context ctx,
            ViewQuery q) {
        IrtCells.Plan plan = IrtCells.plan(tallies, ctx, q, cache.position()).orElseThrow();
        return cache.build(
                BENCHMARK,
                plan,
                mirror::forEach,
                Long.MAX_VALUE,
                count -> new IllegalStateException("no limit here, yet refused at " + count),
                ctx,
                q,
                T0);
    }

    /**
     * {@code irt} on a live benchmark: {@value #LIVE_ROUNDS} rounds of {@value #LIVE_JUDGMENTS} new judgments (new
     * items, each judged for its models, as a LiveXiv release), each folded and then the view computed through the
     * cells kept since the last computation; prints the median and range, and checks the last against the slot path.
     */
    private static Figure live(History fold, IrtCells.Cache irt, Options o, PrintWriter out) {
        Leaderboards.Context ctx = new Leaderboards.Context(successions(o.models()), null);
        ViewQuery q = ViewQuery.of(View.IRT);
        long[] nanos = new long[LIVE_ROUNDS];
        // What the wall-clock figures hide: the CPU of the computations (every thread of this JVM's, the
        // collector's and the JIT's too) and the collections that paused them.
        long[] hidden = new long[3];
        long scanned = 0;
        LeaderboardSnapshot actual = null;
        for (int r = 0; r < LIVE_ROUNDS; r++) {
            fold.upTo(fold.done() + LIVE_JUDGMENTS);
            long[] before = cpuAndCollections();
            long start = System.nanoTime();
            actual = cells(fold.mirror, fold.tallies, irt, ctx, q);
            nanos[r] = System.nanoTime() - start;
            long[] after = cpuAndCollections();
            for (int i = 0; i < hidden.length; i++) {
                hidden[i] += after[i] - before[i];
            }
            scanned += irt.scanned();
        }
        LeaderboardSnapshot expected = Leaderboards.build(BENCHMARK, new ArrayList<>(fold.mirror.values()), ctx, q, T0);
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        long median = sorted[LIVE_ROUNDS / 2];
        out.printf(
                "  irt on a live benchmark: %,d new judgments before each computation (%d prefixes read from the"
                        + " journal), through the kept cells: %s (median of %d; %s–%s; each in ms: %s); same as the slot"
                        + " path: %s%n",
                LIVE_JUDGMENTS,
                scanned / LIVE_ROUNDS,
                ms(median),
                LIVE_ROUNDS,
                ms(sorted[0]),
                ms(sorted[LIVE_ROUNDS - 1]),
                String.join(
                        ", ",
                        Arrays.stream(nanos)
                                .mapToObj(v -> String.valueOf(v / 1_000_000))
                                .toList()),
                expected.equals(actual) ? "yes" : "NO");
        out.printf(
                "  in those %d computations: CPU %s a computation (every thread of this JVM, the collector's and the"
                        + " JIT's included); %d collections, pausing them %s in all%n",
                LIVE_ROUNDS, ms(hidden[0] / LIVE_ROUNDS), hidden[1], ms(hidden[2] * 1_000_000));
        out.flush();
        return new Figure(median, "cells after " + LIVE_JUDGMENTS + " new judgments");
    }

    /** This JVM's CPU so far (ns, every thread), its collections and their time (ms). */
    private static long[] cpuAndCollections() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        long cpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : 0;
        return new long[] {cpu, count, millis};
    }

    /**
     * Issue 15's goal for the views, printed: every view under 100 ms at the largest history, each by the path the
     * aggregator takes for it with default settings (its figure computed again; {@code irt} after new judgments).
     */
    private static void goal(Options o, Map<View, Figure> figures, PrintWriter out) {
        List<String> over = new ArrayList<>();
        figures.forEach((view, f) -> {
            if (f.nanos() >= GOAL_NANOS) {
                over.add(view.wireName() + " " + ms(f.nanos()) + " (" + f.path() + ")");
            }
        });
        out.printf(
                "%nGoal (issue 15): every view under 100 ms with %,d judgments of %d models: %s%n",
                o.judgments(),
                o.models(),
                over.isEmpty()
                        ? "met for the " + figures.size() + " views computed"
                        : "not met, over it: " + String.join(", ", over));
        out.flush();
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

    private static String key(Slot s) {
        String key = String.join("|", BENCHMARK, s.itemId(), s.modelId(), "-", s.judgeId(), s.judgeVersion());
        return s.baseline() == null ? key : key + "|" + s.baseline();
    }

    private static String ms(long nanos) {
        return nanos >= 1e9 ? String.format("%.2f s", nanos / 1e9) : String.format("%.2f ms", nanos / 1e6);
    }
}
