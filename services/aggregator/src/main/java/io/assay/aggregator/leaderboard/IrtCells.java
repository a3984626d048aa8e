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
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
 * BenchmarkTallies#changedSince}) holds the writes since the cache's last computation, each with its item and model
 * prefix's counts after it ({@link Written}): the cells written take their latest counts from it, without a read of
 * the store, the others are kept. A full read of the benchmark's slots
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
     * A write of a reference verdict as the change journal keeps it: its item and model prefix ({@link
     * BenchmarkTallies#itemAndModel}), and what that prefix holds after the write, the counts a cell keeps, per judge
     * version of its reference verdicts. A judge version not among them has no slot there (any more). Made from the
     * write's own slot and the others of its item and model that the fold read for the tallies, under the lock that
     * also writes the store, so the counts are the store's after the write: a cache need not read the prefix again.
     *
     * @param prefix the item and model prefix
     * @param counts per judge version with a slot there
     */
    public record Written(String prefix, List<Counts> counts) {
        /** What {@code prefix} holds once {@code now} (or none) is written beside {@code others}. */
        static Written of(String prefix, Collection<Slot> others, Slot now) {
            List<Counts> counts = new ArrayList<>(1);
            for (Slot s : others) {
                count(counts, s);
            }
            if (now != null) {
                count(counts, now);
            }
            return new Written(prefix, List.copyOf(counts));
        }

        private static void count(List<Counts> counts, Slot s) {
            if (s.kind() != JudgmentKind.CORRECT) {
                return;
            }
            int at = 0;
            while (at < counts.size() && !counts.get(at).of(s.judgeId(), s.judgeVersion())) {
                at++;
            }
            Counts c = at < counts.size() ? counts.get(at) : new Counts(s.judgeId(), s.judgeVersion(), 0, 0, 0);
            int[] n = {c.correct(), c.all(), c.slots()};
            Cache.add(n, 0, s);
            c = new Counts(c.judge(), c.version(), n[0], n[1], n[2]);
            if (at < counts.size()) {
                counts.set(at, c);
            } else {
                counts.add(c);
            }
        }

        /** The counts of {@code judge} at {@code version} here, none when it has no slot here. */
        Counts of(String judge, String version) {
            for (Counts c : counts) {
                if (c.of(judge, version)) {
                    return c;
                }
            }
            return new Counts(judge, version, 0, 0, 0);
        }
    }

    /**
     * One judge version's reference verdicts in an item and model prefix, as a cell counts them.
     *
     * @param correct the parseable verdicts with an item id that are correct
     * @param all the parseable verdicts with an item id
     * @param slots every slot of the judge version's (the slot-path limit counts them)
     */
    public record Counts(String judge, String version, int correct, int all, int slots) {
        boolean of(String judge, String version) {
            return Objects.equals(this.judge, judge) && Objects.equals(this.version, version);
        }
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
     * @param changed the writes after {@code base}, {@code null} when unknown (every slot is read)
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
            List<Written> changed) {}

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
        List<Written> changed = since.epoch() == tallies.epoch() ? tallies.changedSince(since.sequence()) : null;
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
     * model) cell its parseable verdicts with an item id, correct and all, and its slots of the judge version (the
     * slot-path limit counts them). The cells are kept in the matrix's order: the model and item ids sorted, a cell
     * numbered by its model's and item's places among them, and the cells sorted by model then item, so that the Rasch
     * matrix is read off them in one pass, without a sort ({@link IrtBuilder.Cells}), its model, item and cell arrays
     * the cells' own. Only cells with a parseable verdict are kept so, and only ids with such a cell: a cell whose
     * slots are all unparseable (or without an item id) is not in the matrix, so it is kept aside with its slots, which
     * the limit counts. A written cell's counts change in place; a cell added or left without a parseable verdict
     * places the cells again (a merge, the ids' places moved). Heap ({@link #bytes}): {@value #CELL_BYTES} bytes a cell,
     * {@value #ID_BYTES} and its length an item or model id, {@value #ASIDE_BYTES} and its ids' lengths a cell kept
     * aside. Thread-safe: a computation holds it.
     */
    public static final class Cache {
        /** Heap per cell: its model's and item's places, counts and slots in primitive arrays. */
        public static final long CELL_BYTES = 20;
        /**
         * Heap per item or model id besides one byte a character (compact strings: ids are ASCII): the string's
         * header and fields (24 bytes), its byte array's header (16) and its rounding up to 8, its place in the array
         * (4 or 8), rounded up.
         */
        public static final long ID_BYTES = 56;
        /**
         * Heap per cell kept aside besides its ids' characters: its map entry (32), its place in the table (8), its
         * key (24) and count (16), and two ids of {@link #ID_BYTES} (their own strings, cut from a prefix).
         */
        public static final long ASIDE_BYTES = 192;

        private static final String[] NONE = new String[0];

        private long epoch = -1;
        private String judge;
        private String version;
        private long sequence;
        /** The cells' model ids, sorted (never changed in place: a fit's warm start keeps them). */
        private String[] models = NONE;
        /** The cells' item ids, sorted (never changed in place). */
        private String[] items = NONE;
        /**
         * Per cell, its model's place in {@link #models}; the cells are sorted by model, then item. Every cell here has
         * a parseable verdict ({@link #all} above 0), every id a cell.
         */
        private int[] model = new int[0];
        /** Per cell, its item's place in {@link #items}. */
        private int[] item = new int[0];

        private int[] correct = new int[0];
        private int[] all = new int[0];
        private int[] slots = new int[0];
        /** The heap the ids take ({@link #ID_BYTES}), counted when they change. */
        private long idBytes;
        /** The cells with slots but no parseable verdict: their slots, which the limit counts. */
        private final Map<Cell, Integer> aside = new HashMap<>();

        private long total;
        private long scanned;
        private boolean fullRead;

        /** Where the cells stand, for the next {@link #plan}. */
        public synchronized Position position() {
            return epoch < 0 ? Position.NONE : new Position(epoch, sequence);
        }

        /**
         * The view of {@code plan}: the cells written since the cache's last computation given the counts the plan's
         * journal has for them (or every slot read by {@code all}, when the plan cannot say which, or its tallies,
         * judge or version are not the cells'), the others kept; what {@link Leaderboards#build} gives over every
         * slot of the benchmark. The judge version's slots (as the plan counts them, or kept and read) above {@code limit} throw
         * {@code tooMany}'s exception (given the count), and leave the cache empty, as any failure does.
         */
        public synchronized LeaderboardSnapshot build(
                String benchmark,
                Plan plan,
                SlotScan all,
                long limit,
                LongFunction<? extends RuntimeException> tooMany,
                Leaderboards.Context ctx,
                ViewQuery query,
                Instant asOf) {
            if (plan.judgments() == 0) {
                return snapshot(benchmark, plan, empty(), null, ctx, query, asOf);
            }
            IrtBuilder.Cells[] cells = cells(plan, all, limit, tooMany);
            return snapshot(benchmark, plan, cells[0], cells[1], ctx, query, asOf);
        }

        /**
         * The matrices of {@code plan} (a judge version with verdicts), read as {@link #build} reads them: the view's
         * and the stability tau's ({@code null} without one).
         */
        synchronized IrtBuilder.Cells[] cells(
                Plan plan, SlotScan all, long limit, LongFunction<? extends RuntimeException> tooMany) {
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
                    readChanged(plan, limit, tooMany);
                }
                done = true;
            } finally {
                if (!done) {
                    clear();
                }
            }
            IrtBuilder.Cells now = now();
            return new IrtBuilder.Cells[] {now, plan.latest() == null ? null : then(now, taken(plan.latest()))};
        }

        /**
         * The heap the cells take, estimated: {@link #CELL_BYTES} a cell, {@link #ID_BYTES} and its length an id,
         * {@link #ASIDE_BYTES} and its ids' lengths a cell kept aside.
         */
        public synchronized long bytes() {
            long b = model.length * CELL_BYTES + idBytes;
            for (Cell c : aside.keySet()) {
                b += ASIDE_BYTES + c.model().length() + c.item().length();
            }
            return b;
        }

        /** Puts the ids of the cells, and counts their heap. */
        private void ids(String[] models, String[] items) {
            this.models = models;
            this.items = items;
            idBytes = 0;
            for (String[] ids : List.of(models, items)) {
                for (String id : ids) {
                    idBytes += ID_BYTES + id.length();
                }
            }
        }

        /**
         * The judge version's slots the cells hold, those kept aside (no parseable verdict) included: what the limit
         * counts.
         */
        synchronized long slots() {
            return total;
        }

        /** The item and model prefixes the last computation took from the journal, -1 when it read every slot. */
        public synchronized long scanned() {
            return fullRead ? -1 : scanned;
        }

        private void clear() {
            epoch = -1;
            judge = null;
            version = null;
            sequence = 0;
            ids(NONE, NONE);
            model = new int[0];
            item = new int[0];
            correct = new int[0];
            all = new int[0];
            slots = new int[0];
            aside.clear();
            total = 0;
        }

        /**
         * Rebuilds the cells from every slot: a run of slots per item and model prefix (numbered as first seen), then
         * placed, sorted and summed by cell.
         */
        private void readAll(Plan plan, SlotScan scan, long limit, LongFunction<? extends RuntimeException> tooMany) {
            clear();
            judge = plan.judge();
            version = plan.version();
            Runs runs = new Runs(limit, tooMany);
            scan.forEach(runs);
            String[] m = runs.modelIds.toArray(String[]::new);
            String[] i = runs.itemIds.toArray(String[]::new);
            Arrays.sort(m);
            Arrays.sort(i);
            int[] modelPlace = places(runs.modelIds, m);
            int[] itemPlace = places(runs.itemIds, i);
            for (int r = 0; r < runs.size; r++) {
                long k = runs.keys[r];
                runs.keys[r] = key(modelPlace[(int) (k >>> 32)], itemPlace[(int) k]);
            }
            // The runs' cells, sorted and distinct (an item lives in one store, so a cell is one run), then summed.
            long[] sorted = Arrays.copyOf(runs.keys, runs.size);
            Arrays.sort(sorted);
            int distinct = 0;
            for (int r = 0; r < sorted.length; r++) {
                if (r == 0 || sorted[r] != sorted[r - 1]) {
                    sorted[distinct++] = sorted[r];
                }
            }
            ids(m, i);
            model = new int[distinct];
            item = new int[distinct];
            for (int x = 0; x < distinct; x++) {
                model[x] = (int) (sorted[x] >>> 32);
                item[x] = (int) sorted[x];
            }
            correct = new int[distinct];
            all = new int[distinct];
            slots = new int[distinct];
            for (int r = 0; r < runs.size; r++) {
                int at = Arrays.binarySearch(sorted, 0, distinct, runs.keys[r]);
                correct[at] += runs.counts[3 * r];
                all[at] += runs.counts[3 * r + 1];
                slots[at] += runs.counts[3 * r + 2];
            }
            boolean unread = false;
            for (int x = 0; x < distinct; x++) {
                if (all[x] == 0) {
                    aside.put(new Cell(models[model[x]], items[item[x]]), slots[x]);
                    unread = true;
                }
            }
            if (unread) {
                merge(List.of());
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
            private final Map<String, Integer> modelNo = new HashMap<>();
            private final Map<String, Integer> itemNo = new HashMap<>();
            final List<String> modelIds = new ArrayList<>();
            final List<String> itemIds = new ArrayList<>();
            /** Per run: its model's and item's numbers, as first seen. */
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
                    String[] id = ids(prefix);
                    keys[size++] = key(number(modelNo, modelIds, id[1]), number(itemNo, itemIds, id[0]));
                }
                add(counts, 3 * (size - 1), s);
            }
        }

        /** A new cell read since: its ids and counts (correct, all, slots). */
        private record Added(String model, String item, int[] counts) {}

        /** A cell by its ids, as it is kept aside. */
        private record Cell(String model, String item) {}

        /**
         * Puts the counts of the prefixes written since in their cells, each prefix's latest in the journal (what the
         * store holds there at the plan's sequence number), or aside when it has slots but no parseable verdict; places
         * the cells again when one is added or has no parseable verdict left.
         */
        private void readChanged(Plan plan, long limit, LongFunction<? extends RuntimeException> tooMany) {
            Map<String, Written> latest = new LinkedHashMap<>();
            for (Written w : plan.changed()) {
                latest.put(w.prefix(), w);
            }
            List<Added> added = new ArrayList<>();
            boolean emptied = false;
            long read = 0;
            for (Written w : latest.values()) {
                Counts c = w.of(judge, version);
                int[] counts = {c.correct(), c.all(), c.slots()};
                read++;
                String[] id = ids(w.prefix());
                Cell cell = new Cell(id[1], id[0]);
                int at = find(id[1], id[0]);
                Integer apart = aside.remove(cell);
                total += counts[2] - (at >= 0 ? slots[at] : apart == null ? 0 : apart);
                if (counts[1] == 0 && counts[2] > 0) {
                    aside.put(cell, counts[2]);
                }
                if (at >= 0) {
                    correct[at] = counts[0];
                    all[at] = counts[1];
                    slots[at] = counts[2];
                    emptied |= counts[1] == 0;
                } else if (counts[1] > 0) {
                    added.add(new Added(id[1], id[0], counts));
                }
            }
            if (total > limit) {
                throw tooMany.apply(total);
            }
            if (!added.isEmpty() || emptied) {
                merge(added);
            }
            scanned = read;
            fullRead = false;
            sequence = Math.max(sequence, plan.sequence());
        }

        /**
         * Merges the new cells {@code added} into the sorted ones, leaving out the cells with no parseable verdict, and
         * their ids with no cell left: the new ids merged into the sorted ones in one pass, and every cell numbered by
         * their new places (which keeps their order).
         */
        private void merge(List<Added> added) {
            boolean[] modelKept = new boolean[models.length];
            boolean[] itemKept = new boolean[items.length];
            int kept = 0;
            for (int x = 0; x < model.length; x++) {
                if (all[x] > 0) {
                    modelKept[model[x]] = true;
                    itemKept[item[x]] = true;
                    kept++;
                }
            }
            int[] modelPlace = new int[models.length];
            int[] itemPlace = new int[items.length];
            String[] m = merged(models, modelKept, added.stream().map(Added::model), modelPlace);
            String[] i = merged(items, itemKept, added.stream().map(Added::item), itemPlace);
            TreeMap<Long, int[]> news = new TreeMap<>();
            for (Added a : added) {
                news.put(key(Arrays.binarySearch(m, a.model()), Arrays.binarySearch(i, a.item())), a.counts());
            }
            int n = kept + news.size();
            int[] mo = new int[n];
            int[] it = new int[n];
            int[] c = new int[n];
            int[] al = new int[n];
            int[] sl = new int[n];
            int out = 0;
            int x = 0;
            for (Map.Entry<Long, int[]> e : news.entrySet()) {
                long k = e.getKey();
                for (; x < model.length && (all[x] == 0 || key(modelPlace[model[x]], itemPlace[item[x]]) < k); x++) {
                    if (all[x] > 0) {
                        mo[out] = modelPlace[model[x]];
                        it[out] = itemPlace[item[x]];
                        c[out] = correct[x];
                        al[out] = all[x];
                        sl[out++] = slots[x];
                    }
                }
                mo[out] = (int) (k >>> 32);
                it[out] = (int) k;
                c[out] = e.getValue()[0];
                al[out] = e.getValue()[1];
                sl[out++] = e.getValue()[2];
            }
            for (; x < model.length; x++) {
                if (all[x] > 0) {
                    mo[out] = modelPlace[model[x]];
                    it[out] = itemPlace[item[x]];
                    c[out] = correct[x];
                    al[out] = all[x];
                    sl[out++] = slots[x];
                }
            }
            ids(m, i);
            model = mo;
            item = it;
            correct = c;
            all = al;
            slots = sl;
        }

        /**
         * The sorted ids {@code sorted} that are {@code kept}, with the ids {@code added} that are not among them, in
         * order: one pass over the ids, which are sorted already. Puts each id's new place in {@code place}, -1 for
         * those not kept.
         */
        private static String[] merged(
                String[] sorted, boolean[] kept, java.util.stream.Stream<String> added, int[] place) {
            Iterator<String> fresh = new TreeSet<>(added.toList()).iterator();
            String next = fresh.hasNext() ? fresh.next() : null;
            List<String> out = new ArrayList<>(sorted.length + 1);
            for (int r = 0; r < sorted.length; r++) {
                if (!kept[r]) {
                    place[r] = -1;
                    continue;
                }
                while (next != null && next.compareTo(sorted[r]) <= 0) {
                    if (!next.equals(sorted[r])) {
                        out.add(next);
                    }
                    next = fresh.hasNext() ? fresh.next() : null;
                }
                place[r] = out.size();
                out.add(sorted[r]);
            }
            while (next != null) {
                out.add(next);
                next = fresh.hasNext() ? fresh.next() : null;
            }
            return out.toArray(String[]::new);
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

        /** The item and model of an item and model prefix ({@code benchmark|item|model|}). */
        private static String[] ids(String prefix) {
            int first = prefix.indexOf(Fold.SEPARATOR);
            int second = prefix.indexOf(Fold.SEPARATOR, first + 1);
            int third = prefix.indexOf(Fold.SEPARATOR, second + 1);
            return new String[] {prefix.substring(first + 1, second), prefix.substring(second + 1, third)};
        }

        private static long key(int model, int item) {
            return (long) model << 32 | item;
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

        /** Per id numbered as first seen ({@code firstSeen}), its place in {@code sorted}. */
        private static int[] places(List<String> firstSeen, String[] sorted) {
            int[] out = new int[firstSeen.size()];
            for (int n = 0; n < out.length; n++) {
                out[n] = Arrays.binarySearch(sorted, firstSeen.get(n));
            }
            return out;
        }

        /** The cell of {@code modelId} and {@code itemId}, -1 when there is none. */
        private int find(String modelId, String itemId) {
            return place(models, items, model, item, modelId, itemId);
        }

        /**
         * The place of the cell of {@code modelId} and {@code itemId} among cells in (model, item) order, each of
         * {@code model} and {@code item} an index into {@code models} and {@code items} (sorted); -1 when none.
         */
        private static int place(
                String[] models, String[] items, int[] model, int[] item, String modelId, String itemId) {
            int m = Arrays.binarySearch(models, modelId);
            int i = Arrays.binarySearch(items, itemId);
            if (m < 0 || i < 0) {
                return -1;
            }
            long k = key(m, i);
            int lo = 0;
            int hi = model.length - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                long at = key(model[mid], item[mid]);
                if (at < k) {
                    lo = mid + 1;
                } else if (at > k) {
                    hi = mid - 1;
                } else {
                    return mid;
                }
            }
            return -1;
        }

        /**
         * Per cell, the correct and all of the stability tau's latest verdicts, to take away: the cells in order
         * ({@code cell}), each with its {@code correct} and {@code all}.
         */
        private record Taken(int[] cell, int[] correct, int[] all) {}

        private Taken taken(List<Slot> latest) {
            TreeMap<Integer, int[]> out = new TreeMap<>();
            for (Slot s : latest) {
                int x = s.unparseable() || s.itemId() == null ? -1 : find(s.modelId(), s.itemId());
                if (x < 0) {
                    continue;
                }
                int[] t = out.computeIfAbsent(x, k -> new int[2]);
                t[0] += s.correct() ? 1 : 0;
                t[1]++;
            }
            int[] cell = new int[out.size()];
            int[] c = new int[out.size()];
            int[] a = new int[out.size()];
            int t = 0;
            for (Map.Entry<Integer, int[]> e : out.entrySet()) {
                cell[t] = e.getKey();
                c[t] = e.getValue()[0];
                a[t++] = e.getValue()[1];
            }
            return new Taken(cell, c, a);
        }

        /**
         * The matrix of the cells, as {@link IrtBuilder#rows} makes it of the slots: models and items sorted by id,
         * cells in (model, item) order, every one with a verdict: the cells' own ids and places, with each cell's share
         * correct beside them.
         */
        private IrtBuilder.Cells now() {
            double[] y = new double[all.length];
            long[] verdicts = new long[models.length];
            for (int x = 0; x < y.length; x++) {
                y[x] = share(correct[x], all[x]);
                verdicts[model[x]] += all[x];
            }
            return new IrtBuilder.Cells(
                    models,
                    items,
                    new Rasch.Matrix(models.length, items.length, model, item, y),
                    all.clone(),
                    verdicts);
        }

        /**
         * The stability tau's matrix: {@code now}'s (the cells' own) with {@code minus} taken away. While every taken
         * cell keeps a verdict, the same models, items and cells as {@code now} (its arrays, shared) with the taken
         * cells' shares changed; otherwise {@code now}'s cells copied around those left without a verdict, and the
         * models and items left without a cell numbered out.
         */
        private IrtBuilder.Cells then(IrtBuilder.Cells now, Taken minus) {
            Rasch.Matrix x = now.matrix();
            long[] verdicts = now.verdicts().clone();
            // Per taken cell (in cell order), its share once taken: NaN when no verdict is left and the cell goes.
            int[] cells = minus.cell();
            double[] shares = new double[cells.length];
            int[] lefts = new int[cells.length];
            int gone = 0;
            for (int t = 0; t < cells.length; t++) {
                int c = cells[t];
                int left = all[c] - minus.all()[t];
                verdicts[model[c]] -= left > 0 ? minus.all()[t] : all[c];
                shares[t] = left > 0 ? share(correct[c] - minus.correct()[t], left) : Double.NaN;
                lefts[t] = left;
                gone += left > 0 ? 0 : 1;
            }
            if (gone == 0) {
                double[] y = x.y().clone();
                int[] k = now.counts().clone();
                for (int t = 0; t < cells.length; t++) {
                    y[cells[t]] = shares[t];
                    k[cells[t]] = lefts[t];
                }
                return new IrtBuilder.Cells(
                        now.models(),
                        now.items(),
                        new Rasch.Matrix(x.models(), x.items(), x.model(), x.item(), y),
                        k,
                        verdicts);
            }
            int n = x.cells() - gone;
            int[] cm = new int[n];
            int[] ci = new int[n];
            double[] cy = new double[n];
            int[] ck = new int[n];
            // now's cells copied in runs between the taken ones; a taken cell with a verdict left keeps its new share
            int from = 0;
            int to = 0;
            for (int t = 0; t < cells.length; t++) {
                to = copy(now, from, cells[t], cm, ci, cy, ck, to);
                from = cells[t] + 1;
                if (!Double.isNaN(shares[t])) {
                    cm[to] = x.model()[cells[t]];
                    ci[to] = x.item()[cells[t]];
                    ck[to] = lefts[t];
                    cy[to++] = shares[t];
                }
            }
            copy(now, from, x.cells(), cm, ci, cy, ck, to);
            return numberedOut(now.models(), now.items(), cm, ci, cy, ck, verdicts);
        }

        /** Copies {@code now}'s cells {@code from} up to {@code until} into the arrays at {@code to}; the place after them. */
        private static int copy(
                IrtBuilder.Cells now, int from, int until, int[] model, int[] item, double[] y, int[] k, int to) {
            Rasch.Matrix x = now.matrix();
            System.arraycopy(x.model(), from, model, to, until - from);
            System.arraycopy(x.item(), from, item, to, until - from);
            System.arraycopy(x.y(), from, y, to, until - from);
            System.arraycopy(now.counts(), from, k, to, until - from);
            return to + until - from;
        }

        /**
         * The matrix of cells {@code cm}, {@code ci}, {@code cy} (places in {@code models} and {@code items}, in order)
         * with the models and items that have no cell numbered out, as the slot path never numbers them; {@code
         * verdicts} by model, those of the numbered-out ones 0.
         */
        private static IrtBuilder.Cells numberedOut(
                String[] models, String[] items, int[] cm, int[] ci, double[] cy, int[] ck, long[] verdicts) {
            boolean[] modelUsed = new boolean[models.length];
            boolean[] itemUsed = new boolean[items.length];
            for (int k = 0; k < cm.length; k++) {
                modelUsed[cm[k]] = true;
                itemUsed[ci[k]] = true;
            }
            int[] modelRank = new int[models.length];
            int[] itemRank = new int[items.length];
            String[] modelOrder = used(models, modelUsed, modelRank);
            String[] itemOrder = used(items, itemUsed, itemRank);
            if (modelOrder.length < models.length || itemOrder.length < items.length) {
                for (int k = 0; k < cm.length; k++) {
                    cm[k] = modelRank[cm[k]];
                    ci[k] = itemRank[ci[k]];
                }
            }
            long[] kept = new long[modelOrder.length];
            for (int m = 0; m < models.length; m++) {
                if (modelUsed[m]) {
                    kept[modelRank[m]] = verdicts[m];
                }
            }
            return new IrtBuilder.Cells(
                    modelOrder, itemOrder, new Rasch.Matrix(modelOrder.length, itemOrder.length, cm, ci, cy), ck, kept);
        }

        /** A cell's share correct: {@code correct} of {@code all}, a verdict taken away by a write since not below none. */
        private static double share(int correct, int all) {
            return (double) Math.max(0, Math.min(all, correct)) / all;
        }

        /** The ids {@code used}, in order, each one's rank among them put in {@code rank}. */
        private static String[] used(String[] ids, boolean[] used, int[] rank) {
            int n = 0;
            for (int r = 0; r < ids.length; r++) {
                rank[r] = n;
                n += used[r] ? 1 : 0;
            }
            String[] out = new String[n];
            for (int r = 0; r < ids.length; r++) {
                if (used[r]) {
                    out[rank[r]] = ids[r];
                }
            }
            return out;
        }
    }

    private static IrtBuilder.Cells empty() {
        return new IrtBuilder.Cells(
                new String[0],
                new String[0],
                new Rasch.Matrix(0, 0, new int[0], new int[0], new double[0]),
                new int[0],
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
