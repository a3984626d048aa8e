package io.assay.aggregator.leaderboard;

import io.assay.aggregator.leaderboard.BenchmarkTallies.Group;
import io.assay.aggregator.leaderboard.BenchmarkTallies.GroupTally;
import io.assay.aggregator.stats.KendallTau;
import io.assay.aggregator.stats.Rasch;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongFunction;

/**
 * {@code irt} from its (item, model) cells kept from one computation to the next: the view's Rasch fit ({@link
 * IrtBuilder}) reads of its slots only each cell's parseable verdicts, correct and all, of the judge version it is
 * computed at (slots with an item id). A {@link Cache} keeps them per cell, and the tallies' change journal ({@link
 * BenchmarkTallies#changedSince}) says which item and model prefixes were written since the cache's last
 * computation: those are read again (a prefix scan each), the others kept. A full read of the benchmark's slots
 * rebuilds the cells when the journal no longer holds every change since, the tallies were made anew, or the judge or
 * its version moved. The judge, its version, the verdict count, each model's unparseable verdicts and the stability
 * tau's latest verdicts come from the tallies, as for the tallied views ({@link TalliedViews}). Without a window or
 * the post-cutoff restriction only (those are over time: the slot path decides), and only while the tallies keep the
 * latest verdicts the view reads. See docs/aggregation.md, "IRT".
 */
public final class IrtCells {
    private IrtCells() {}

    /**
     * Where a cache's cells stand, to plan its next computation from.
     *
     * @param epoch the tallies the cells were read under ({@link BenchmarkTallies#epoch}), -1 for none
     * @param sequence the journal's sequence number the cells are at least as new as
     */
    public record Position(long epoch, long sequence) {
        /** A cache with no cells. */
        static final Position NONE = new Position(-1, 0);
    }

    /**
     * What to read for {@code irt} and what the tallies say beside the cells.
     *
     * @param judge the judge the view counts
     * @param version its current version
     * @param judgments the judge version's verdicts (the snapshot's count), 0 when it has none
     * @param unparseable per model, its unparseable verdicts of the judge version
     * @param latest the stability tau's latest verdicts (the lag judged last), {@code null} when the view has no tau
     * @param epoch the tallies' epoch
     * @param sequence the journal's sequence number when planned (before any cell is read)
     * @param base the sequence number {@code changed} starts after: the cache's when planned
     * @param changed the item and model prefixes written after {@code base}, {@code null} when unknown (every slot
     *     is read)
     */
    public record Plan(
            String judge,
            String version,
            long judgments,
            Map<String, Long> unparseable,
            List<Slot> latest,
            long epoch,
            long sequence,
            long base,
            List<String> changed) {}

    /**
     * The plan of {@code query} over {@code tallies} for a cache at {@code since}; empty when the view is not {@code
     * irt} over every slot (a window, the post-cutoff restriction), a slot has no judge id, or the tallies do not keep
     * the latest verdicts it reads (the current version, the stability tau's). Refuses an unknown judge as the slot
     * path does.
     */
    public static Optional<Plan> plan(
            BenchmarkTallies tallies, Leaderboards.Context ctx, ViewQuery query, Position since) {
        if (query.view() != View.IRT
                || query.window() != null
                || query.restrictToPostCutoff()
                || tallies.ofKind(JudgmentKind.CORRECT) == 0
                || tallies.withoutJudge(JudgmentKind.CORRECT) > 0
                || !tallies.referenceLatestKept()) {
            return Optional.empty();
        }
        Map<String, String> versions = tallies.currentReferenceVersions();
        String judge = TalliedViews.judge(versions, tallies.humanJudges(JudgmentKind.CORRECT), ctx, query);
        String version = versions.get(judge);
        GroupTally group = versions.containsKey(judge) ? tallies.reference().get(new Group(judge, version)) : null;
        long judgments = group == null ? 0 : group.ledger.slots();
        List<Slot> latest = null;
        if (query.stabilityLag() > 0 && judgments > query.stabilityLag()) {
            latest = BenchmarkTallies.latest(group, query.stabilityLag());
            if (latest == null) {
                return Optional.empty(); // a lag longer than the tallies keep: from the slots
            }
        }
        Map<String, Long> unparseable = new TreeMap<>();
        if (group != null) {
            group.models.forEach((model, t) -> unparseable.put(model, t.unparseable));
        }
        List<String> changed = since.epoch() == tallies.epoch() ? tallies.changedSince(since.sequence()) : null;
        return Optional.of(new Plan(
                judge,
                version,
                judgments,
                unparseable,
                latest,
                tallies.epoch(),
                tallies.sequence(),
                since.sequence(),
                changed));
    }

    /**
     * One benchmark's cells for one {@code judge=} value, of the judge version of its last computation: per (item,
     * model) cell, sorted by the cell's model and item numbers (given as first seen), its parseable verdicts with an
     * item id, correct and all, and its slots of the judge version (the slot-path limit counts them). Heap ({@link
     * #bytes}): {@value #CELL_BYTES} bytes a cell, {@value #ID_BYTES} an item or model id. Thread-safe: a computation
     * holds it.
     */
    public static final class Cache {
        /** Heap per cell: its key, counts and slots in primitive arrays. */
        public static final long CELL_BYTES = 20;
        /** Heap per item or model id: the string, its map entry and list place (counted, rounded up). */
        public static final long ID_BYTES = 150;

        private long epoch = -1;
        private String judge;
        private String version;
        private long sequence;
        private final Map<String, Integer> modelNo = new HashMap<>();
        private final List<String> modelIds = new ArrayList<>();
        private final Map<String, Integer> itemNo = new HashMap<>();
        private final List<String> itemIds = new ArrayList<>();
        /** Per cell: model number << 32 | item number, ascending. */
        private long[] keys = new long[0];

        private int[] correct = new int[0];
        private int[] all = new int[0];
        private int[] slots = new int[0];
        private int size;
        private long total;
        private long scanned;
        private boolean fullRead;

        /** Where the cells stand, for the next {@link #plan}. */
        public synchronized Position position() {
            return epoch < 0 ? Position.NONE : new Position(epoch, sequence);
        }

        /**
         * The view of {@code plan}: the cells of the prefixes written since the cache's last computation read again by
         * {@code scan} (or every slot by {@code all}, when the plan cannot say which, or its tallies, judge or version
         * are not the cells'), the others kept; what {@link Leaderboards#build} gives over every slot of the
         * benchmark. The judge version's slots (as the plan counts them, or kept and read) above {@code limit} throw
         * {@code tooMany}'s exception (given the count), and leave the cache empty, as any failure does.
         */
        public synchronized LeaderboardSnapshot build(
                String benchmark,
                Plan plan,
                SlotScan all,
                LabelledItems.ItemScan scan,
                long limit,
                LongFunction<? extends RuntimeException> tooMany,
                Leaderboards.Context ctx,
                ViewQuery query,
                Instant asOf) {
            if (plan.judgments() == 0) {
                return snapshot(benchmark, plan, empty(), null, ctx, query, asOf);
            }
            if (plan.judgments() > limit) {
                clear();
                throw tooMany.apply(plan.judgments());
            }
            boolean done = false;
            try {
                if (plan.changed() == null
                        || plan.epoch() != epoch
                        || plan.base() > sequence
                        || !Objects.equals(plan.judge(), judge)
                        || !Objects.equals(plan.version(), version)) {
                    readAll(plan, all, limit, tooMany);
                } else {
                    readChanged(plan, scan, limit, tooMany);
                }
                done = true;
            } finally {
                if (!done) {
                    clear();
                }
            }
            IrtBuilder.Cells now = cells(Map.of());
            IrtBuilder.Cells then = plan.latest() == null ? null : cells(taken(plan.latest()));
            return snapshot(benchmark, plan, now, then, ctx, query, asOf);
        }

        /** The heap the cells take, estimated: {@link #CELL_BYTES} a cell, {@link #ID_BYTES} an id. */
        public synchronized long bytes() {
            return keys.length * CELL_BYTES + (modelIds.size() + itemIds.size()) * ID_BYTES;
        }

        /** The prefixes the last computation read again, -1 when it read every slot. */
        public synchronized long scanned() {
            return fullRead ? -1 : scanned;
        }

        private void clear() {
            epoch = -1;
            judge = null;
            version = null;
            sequence = 0;
            modelNo.clear();
            modelIds.clear();
            itemNo.clear();
            itemIds.clear();
            keys = new long[0];
            correct = new int[0];
            all = new int[0];
            slots = new int[0];
            size = 0;
            total = 0;
        }

        /** Rebuilds the cells from every slot: a run of slots per item and model prefix, then summed by cell. */
        private void readAll(Plan plan, SlotScan scan, long limit, LongFunction<? extends RuntimeException> tooMany) {
            clear();
            judge = plan.judge();
            version = plan.version();
            Runs runs = new Runs(limit, tooMany);
            scan.forEach(runs);
            // The runs' cells, sorted and distinct (an item lives in one store, so a cell is one run), then summed.
            long[] sorted = Arrays.copyOf(runs.keys, runs.size);
            Arrays.sort(sorted);
            int distinct = 0;
            for (int r = 0; r < sorted.length; r++) {
                if (r == 0 || sorted[r] != sorted[r - 1]) {
                    sorted[distinct++] = sorted[r];
                }
            }
            keys = Arrays.copyOf(sorted, distinct);
            correct = new int[distinct];
            all = new int[distinct];
            slots = new int[distinct];
            size = distinct;
            for (int r = 0; r < runs.size; r++) {
                int at = Arrays.binarySearch(keys, 0, size, runs.keys[r]);
                correct[at] += runs.counts[3 * r];
                all[at] += runs.counts[3 * r + 1];
                slots[at] += runs.counts[3 * r + 2];
            }
            total = runs.read;
            scanned = 0;
            fullRead = true;
            sequence = plan.sequence();
            epoch = plan.epoch();
        }

        /** The slots of a full read, counted per run of an item and model prefix. */
        private final class Runs implements java.util.function.BiConsumer<String, Slot> {
            private final long limit;
            private final LongFunction<? extends RuntimeException> tooMany;
            long[] keys = new long[1024];
            /** Per run: correct, all, slots. */
            int[] counts = new int[3 * 1024];

            int size;
            long read;
            private String prefix;

            Runs(long limit, LongFunction<? extends RuntimeException> tooMany) {
                this.limit = limit;
                this.tooMany = tooMany;
            }

            @Override
            public void accept(String key, Slot s) {
                if (!ofBoard(s)) {
                    return;
                }
                if (++read > limit) {
                    throw tooMany.apply(read);
                }
                if (prefix == null || !key.startsWith(prefix)) {
                    prefix = BenchmarkTallies.itemAndModel(key);
                    if (size == keys.length) {
                        keys = Arrays.copyOf(keys, 2 * size);
                        counts = Arrays.copyOf(counts, 6 * size);
                    }
                    keys[size++] = cell(prefix);
                }
                add(counts, 3 * (size - 1), s);
            }
        }

        /** Reads the prefixes written since again, a prefix scan each, and puts their counts in their cells. */
        private void readChanged(
                Plan plan, LabelledItems.ItemScan scan, long limit, LongFunction<? extends RuntimeException> tooMany) {
            TreeMap<Long, int[]> added = new TreeMap<>();
            long read = 0;
            for (String prefix : new LinkedHashSet<>(plan.changed())) {
                int[] counts = new int[3];
                scan.forEach(prefix, s -> {
                    if (ofBoard(s)) {
                        add(counts, 0, s);
                    }
                });
                read++;
                long key = cell(prefix);
                int at = Arrays.binarySearch(keys, 0, size, key);
                if (at >= 0) {
                    total += counts[2] - slots[at];
                    correct[at] = counts[0];
                    all[at] = counts[1];
                    slots[at] = counts[2];
                } else if (counts[2] > 0) {
                    total += counts[2];
                    added.put(key, counts);
                }
            }
            if (total > limit) {
                throw tooMany.apply(total);
            }
            if (!added.isEmpty()) {
                merge(added);
            }
            scanned = read;
            fullRead = false;
            sequence = Math.max(sequence, plan.sequence());
        }

        /** Merges the new cells {@code added} into the sorted ones, leaving out the cells with no slot left. */
        private void merge(TreeMap<Long, int[]> added) {
            int n = size + added.size();
            long[] k = new long[n];
            int[] c = new int[n];
            int[] a = new int[n];
            int[] sl = new int[n];
            int out = 0;
            int i = 0;
            for (Map.Entry<Long, int[]> e : added.entrySet()) {
                for (; i < size && keys[i] < e.getKey(); i++) {
                    if (slots[i] > 0) {
                        k[out] = keys[i];
                        c[out] = correct[i];
                        a[out] = all[i];
                        sl[out++] = slots[i];
                    }
                }
                k[out] = e.getKey();
                c[out] = e.getValue()[0];
                a[out] = e.getValue()[1];
                sl[out++] = e.getValue()[2];
            }
            for (; i < size; i++) {
                if (slots[i] > 0) {
                    k[out] = keys[i];
                    c[out] = correct[i];
                    a[out] = all[i];
                    sl[out++] = slots[i];
                }
            }
            keys = Arrays.copyOf(k, out);
            correct = Arrays.copyOf(c, out);
            all = Arrays.copyOf(a, out);
            slots = Arrays.copyOf(sl, out);
            size = out;
        }

        /** Whether {@code s} is one of the cells' judge version's verdicts. */
        private boolean ofBoard(Slot s) {
            return s.kind() == JudgmentKind.CORRECT
                    && Objects.equals(s.judgeId(), judge)
                    && Objects.equals(s.judgeVersion(), version);
        }

        /** Counts {@code s} (a verdict of the judge version) into {@code counts} at {@code at}: correct, all, slots. */
        private static void add(int[] counts, int at, Slot s) {
            if (!s.unparseable() && s.itemId() != null) {
                counts[at] += s.correct() ? 1 : 0;
                counts[at + 1]++;
            }
            counts[at + 2]++;
        }

        /** The cell of an item and model prefix ({@code benchmark|item|model|}): its numbers, given as first seen. */
        private long cell(String prefix) {
            int first = prefix.indexOf(Fold.SEPARATOR);
            int second = prefix.indexOf(Fold.SEPARATOR, first + 1);
            int third = prefix.indexOf(Fold.SEPARATOR, second + 1);
            String item = prefix.substring(first + 1, second);
            String model = prefix.substring(second + 1, third);
            return (long) number(modelNo, modelIds, model) << 32 | number(itemNo, itemIds, item);
        }

        private static int number(Map<String, Integer> numbers, List<String> ids, String id) {
            Integer n = numbers.get(id);
            if (n == null) {
                n = ids.size();
                numbers.put(id, n);
                ids.add(id);
            }
            return n;
        }

        /** Per cell, the correct and all of the stability tau's latest verdicts, to take away. */
        private Map<Long, int[]> taken(List<Slot> latest) {
            Map<Long, int[]> out = new HashMap<>();
            for (Slot s : latest) {
                Integer m = modelNo.get(s.modelId());
                Integer i = s.itemId() == null ? null : itemNo.get(s.itemId());
                if (s.unparseable() || m == null || i == null) {
                    continue;
                }
                int[] t = out.computeIfAbsent((long) m << 32 | i, x -> new int[2]);
                t[0] += s.correct() ? 1 : 0;
                t[1]++;
            }
            return out;
        }

        /**
         * The matrix of the cells with a verdict left once {@code minus} is taken away, as {@link IrtBuilder#rows}
         * makes it of the slots: models and items sorted by id, cells in (model, item) order.
         */
        private IrtBuilder.Cells cells(Map<Long, int[]> minus) {
            int[] c = new int[size];
            int[] a = new int[size];
            boolean[] models = new boolean[modelIds.size()];
            boolean[] items = new boolean[itemIds.size()];
            int n = 0;
            for (int x = 0; x < size; x++) {
                int[] t = minus.isEmpty() ? null : minus.get(keys[x]);
                a[x] = all[x] - (t == null ? 0 : t[1]);
                // A verdict taken away that a write since the plan already took: not below none.
                c[x] = Math.max(0, Math.min(a[x], correct[x] - (t == null ? 0 : t[0])));
                if (a[x] > 0) {
                    models[(int) (keys[x] >>> 32)] = true;
                    items[(int) keys[x]] = true;
                    n++;
                }
            }
            String[] modelOrder = sorted(models, modelIds);
            String[] itemOrder = sorted(items, itemIds);
            int[] modelRank = ranks(modelOrder, modelNo, modelIds.size());
            int[] itemRank = ranks(itemOrder, itemNo, itemIds.size());
            long[] order = new long[n];
            long itemCount = itemOrder.length;
            int indexBits = 64 - Long.numberOfLeadingZeros(Math.max(1, size));
            if (64 - Long.numberOfLeadingZeros(modelOrder.length * itemCount) + indexBits > 63) {
                throw new IllegalStateException(
                        "irt matrix too large to order: " + modelOrder.length + " x " + itemCount);
            }
            for (int x = 0, k = 0; x < size; x++) {
                if (a[x] > 0) {
                    long place = modelRank[(int) (keys[x] >>> 32)] * itemCount + itemRank[(int) keys[x]];
                    order[k++] = place << indexBits | x;
                }
            }
            Arrays.sort(order);
            int[] cm = new int[n];
            int[] ci = new int[n];
            double[] cy = new double[n];
            long[] verdicts = new long[modelOrder.length];
            long mask = (1L << indexBits) - 1;
            for (int k = 0; k < n; k++) {
                int x = (int) (order[k] & mask);
                long place = order[k] >>> indexBits;
                cm[k] = (int) (place / itemCount);
                ci[k] = (int) (place % itemCount);
                cy[k] = (double) c[x] / a[x];
                verdicts[cm[k]] += a[x];
            }
            return new IrtBuilder.Cells(
                    modelOrder, itemOrder, new Rasch.Matrix(modelOrder.length, itemOrder.length, cm, ci, cy), verdicts);
        }

        private static String[] sorted(boolean[] used, List<String> ids) {
            TreeSet<String> out = new TreeSet<>();
            for (int x = 0; x < used.length; x++) {
                if (used[x]) {
                    out.add(ids.get(x));
                }
            }
            return out.toArray(String[]::new);
        }

        private static int[] ranks(String[] order, Map<String, Integer> numbers, int count) {
            int[] out = new int[count];
            for (int r = 0; r < order.length; r++) {
                out[numbers.get(order[r])] = r;
            }
            return out;
        }
    }

    private static IrtBuilder.Cells empty() {
        return new IrtBuilder.Cells(
                new String[0],
                new String[0],
                new Rasch.Matrix(0, 0, new int[0], new int[0], new double[0]),
                new long[0]);
    }

    /**
     * The snapshot {@link Leaderboards#build} gives: the rows of {@code now} with each model's unparseable verdicts
     * and failed calls, ranked, and the stability tau against the rows of {@code then} (the cells without the latest
     * verdicts), {@code null} for none.
     */
    private static LeaderboardSnapshot snapshot(
            String benchmark,
            Plan plan,
            IrtBuilder.Cells now,
            IrtBuilder.Cells then,
            Leaderboards.Context ctx,
            ViewQuery query,
            Instant asOf) {
        IrtBuilder irt = (IrtBuilder) View.IRT.builder();
        int k = Leaderboards.lengthPenalty(ctx, query, plan.judge());
        ViewBuilder.Input in = new ViewBuilder.Input(benchmark, List.of(), plan.unparseable(), ctx, query, k, true);
        List<Row> rows = new ArrayList<>();
        for (Row r : irt.rows(in, now, plan.judge(), plan.version())) {
            Map<String, Object> m = new LinkedHashMap<>(r.metrics());
            m.put("unparseable", plan.unparseable().getOrDefault(r.modelId(), 0L));
            TalliedViews.failed(ctx, r.modelId(), m);
            rows.add(Rows.with(r, 0, Rows.clean(m)));
        }
        List<Row> ranked = Leaderboards.rank(irt.ranking(), rows);
        Double tau = null;
        if (then != null) {
            ViewBuilder.Input earlier =
                    new ViewBuilder.Input(benchmark, List.of(), plan.unparseable(), ctx, query, k, false);
            double t = KendallTau.tauB(
                    TalliedViews.values(ranked),
                    TalliedViews.values(irt.rows(earlier, then, plan.judge(), plan.version())));
            tau = Double.isNaN(t) ? null : t;
        }
        return TalliedViews.snapshot(
                benchmark,
                ctx,
                query,
                asOf,
                plan.judgments(),
                ranked,
                query.params(k, plan.judge(), plan.version(), null),
                tau,
                query.stabilityLag());
    }
}
