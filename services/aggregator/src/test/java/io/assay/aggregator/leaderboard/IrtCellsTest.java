package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.JudgmentKind;
import io.assay.contracts.LeaderboardSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@code irt} from its cells ({@link IrtCells}) is the slot path's snapshot over every slot: randomised ledgers of
 * reference verdicts (with some of another kind beside them) of several variants per cell, unparseable verdicts, slots
 * without an item id, human labels, judges re-versioned as the ledger goes, revisions and slots taken away, over one
 * partition with the default tails and over three with tails of three (which leave some views to the slots); computed
 * afresh and through a cache kept as the ledger grows, with journals short enough to overflow now and then (a full
 * read) and writes between a plan and its read (read again the next time); the kept cache's matrices (the view's
 * and the stability tau's) are the slot path's to the bit.
 */
class IrtCellsTest {
    private static final Instant AS_OF = Instant.parse("2026-12-03T00:00:00Z");
    private static final String BENCHMARK = "b";
    private static final Leaderboards.Context CTX = new Leaderboards.Context(Map.of(), null);

    @Test
    void cellsGiveTheSlotPathsSnapshot() {
        Counts counts = new Counts();
        for (long seed = 1; seed <= 40; seed++) {
            compareOver(seed, BenchmarkTallies.TAIL, 1, counts);
        }
        assertThat(counts.planned).as("views from the cells").isGreaterThan(1000);
        assertThat(counts.withTau).as("views with a stability tau").isGreaterThan(200);
        counts.assertCacheExercised();
    }

    @Test
    void shortTailsOverPartitionsGiveTheSlotPathsSnapshotOrLeaveItToTheSlots() {
        Counts counts = new Counts();
        for (long seed = 1; seed <= 30; seed++) {
            compareOver(seed, 3, 3, counts);
        }
        assertThat(counts.planned).as("views from the cells").isGreaterThan(500);
        assertThat(counts.unplanned).as("views left to the slots").isPositive();
        counts.assertCacheExercised();
    }

    @Test
    void windowsPostCutoffAndOtherViewsAreNotPlanned() {
        BenchmarkTallies tallies = new BenchmarkTallies();
        TreeMap<String, Slot> slots = new TreeMap<>();
        put(slots, tallies, 1, slot("q0", "m0", "j1", "1", true, false, 1));
        IrtCells.Position none = new IrtCells.Cache().position();
        assertThat(IrtCells.plan(tallies, CTX, ViewQuery.of(View.IRT), none)).isPresent();
        assertThat(IrtCells.plan(tallies, CTX, ViewQuery.of(View.ACCURACY), none))
                .isEmpty();
        assertThat(IrtCells.plan(
                        tallies,
                        CTX,
                        new ViewQuery(View.IRT, null, null, null, null, Duration.ofDays(1), false, 100),
                        none))
                .isEmpty();
        assertThat(IrtCells.plan(
                        tallies,
                        CTX,
                        new ViewQuery(View.POST_CUTOFF, View.IRT, null, null, null, null, true, 100),
                        none))
                .isEmpty();
    }

    @Test
    void aFailedReadLeavesTheCacheEmptyAndAJournalOverflowReadsEverySlot() {
        // Given: tallies whose journal holds 4 writes, and a cache that read 3 cells
        BenchmarkTallies tallies = new BenchmarkTallies(BenchmarkTallies.TAIL, 500, 4);
        TreeMap<String, Slot> slots = new TreeMap<>();
        for (int i = 0; i < 3; i++) {
            put(slots, tallies, 1, slot("q" + i, "m" + i % 2, "j1", "1", i % 2 == 0, false, i));
        }
        ViewQuery q = ViewQuery.of(View.IRT);
        IrtCells.Cache cache = new IrtCells.Cache();
        assertThat(build(cache, plan(tallies, q, cache), slots, 1, Long.MAX_VALUE, q))
                .isEqualTo(expected(slots, q));
        assertThat(cache.scanned()).isEqualTo(-1);
        // When: two writes, then five
        put(slots, tallies, 1, slot("q0", "m1", "j1", "1", true, false, 10));
        put(slots, tallies, 1, slot("q3", "m1", "j1", "1", true, false, 11));
        assertThat(build(cache, plan(tallies, q, cache), slots, 1, Long.MAX_VALUE, q))
                .isEqualTo(expected(slots, q));
        assertThat(cache.scanned()).as("the two prefixes written").isEqualTo(2);
        for (int i = 0; i < 5; i++) {
            put(slots, tallies, 1, slot("r" + i, "m0", "j1", "1", false, false, 20 + i));
        }
        // Then: the journal lost one of them, so every slot is read
        assertThat(build(cache, plan(tallies, q, cache), slots, 1, Long.MAX_VALUE, q))
                .isEqualTo(expected(slots, q));
        assertThat(cache.scanned()).isEqualTo(-1);
        // And: a read over the limit fails, leaves nothing, and the next one reads every slot
        put(slots, tallies, 1, slot("r9", "m0", "j1", "1", false, false, 30));
        IrtCells.Plan p = plan(tallies, q, cache);
        Object refused = outcome(() -> build(cache, p, slots, 1, 3, q));
        assertThat(refused).as("the kept and read slots").isEqualTo("refused: 11");
        assertThat(cache.position()).isEqualTo(new IrtCells.Cache().position());
        assertThat(build(cache, plan(tallies, q, cache), slots, 1, Long.MAX_VALUE, q))
                .isEqualTo(expected(slots, q));
        assertThat(cache.scanned()).isEqualTo(-1);
    }

    @Test
    void cellsKeptInTheMatrixOrderFollowNewAndRemovedIdsAndCells() {
        // Given: two models on three items, computed once (every slot read) and again (nothing written)
        BenchmarkTallies tallies = new BenchmarkTallies();
        TreeMap<String, Slot> slots = new TreeMap<>();
        int[] t = {0};
        for (String item : List.of("q1", "q2", "q3")) {
            for (String model : List.of("m1", "m2")) {
                put(slots, tallies, 1, slot(item, model, "j1", "1", (item + model).hashCode() % 2 == 0, false, t[0]++));
            }
        }
        List<ViewQuery> queries =
                List.of(ViewQuery.of(View.IRT), new ViewQuery(View.IRT, null, null, null, null, null, false, 2));
        Map<ViewQuery, IrtCells.Cache> caches = new HashMap<>();
        Runnable compare = () -> {
            for (ViewQuery q : queries) {
                IrtCells.Cache cache = caches.computeIfAbsent(q, x -> new IrtCells.Cache());
                boolean warm = cache.position().epoch() >= 0;
                assertThat(build(cache, plan(tallies, q, cache), slots, 1, Long.MAX_VALUE, q))
                        .as("%s after %d writes", q, t[0])
                        .isEqualTo(expected(slots, q));
                assertThat(cache.scanned() >= 0).as("read incrementally").isEqualTo(warm);
                assertSameMatrices(cache, tallies, slots, q, q + " after " + t[0] + " writes");
            }
        };
        compare.run();
        compare.run();
        // When, then: an item that sorts before every other, seen by one model
        put(slots, tallies, 1, slot("a0", "m2", "j1", "1", true, false, t[0]++));
        compare.run();
        // a model that sorts before every other, on one item; and a second variant in a cell (the tau keeps it)
        put(slots, tallies, 1, slot("q2", "l0", "j1", "1", false, false, t[0]++));
        put(slots, tallies, 1, withVariant(slot("q1", "m1", "j1", "1", true, false, t[0]++), "v1", false, "v" + t[0]));
        compare.run();
        // a verdict revised in place
        put(slots, tallies, 1, slot("q3", "m1", "j1", "1", true, false, t[0]++));
        put(slots, tallies, 1, slot("q3", "m2", "j1", "1", false, false, t[0]++));
        compare.run();
        // second variants in two cells: the tau's latest verdicts leave every cell a verdict
        put(slots, tallies, 1, withVariant(slot("q2", "m1", "j1", "1", true, false, t[0]++), "v1", false, "v" + t[0]));
        put(slots, tallies, 1, withVariant(slot("q3", "m1", "j1", "1", false, false, t[0]++), "v1", false, "v" + t[0]));
        compare.run();
        // a cell of an unparseable verdict only, on a new item, and one without an item id
        put(slots, tallies, 1, slot("q9", "m1", "j1", "1", true, true, t[0]++));
        put(slots, tallies, 1, slot("~0", "m2", "j1", "1", true, false, t[0]++));
        compare.run();
        // a model removed: every slot of m2 taken away
        for (String key : new ArrayList<>(slots.keySet())) {
            if (slots.get(key).modelId().equals("m2")) {
                Tallying.replace(tallies, 0, key, slots.remove(key), null);
            }
        }
        compare.run();
        // and the unparseable cell's slot taken away, then one more verdict
        for (String key : new ArrayList<>(slots.keySet())) {
            if (slots.get(key).unparseable()) {
                Tallying.replace(tallies, 0, key, slots.remove(key), null);
            }
        }
        compare.run();
        put(slots, tallies, 1, slot("q4", "m1", "j1", "1", false, false, t[0]++));
        compare.run();
    }

    /** What {@link #compareOver} saw, over its seeds. */
    private static final class Counts {
        int planned;
        int unplanned;
        int withTau;
        /** Computations through a kept cache that read only the prefixes written since, and those that read all. */
        int incremental;

        int full;
        /** Full reads of a cache whose tallies and board were the plan's: the journal had overflowed. */
        int overflowed;
        /** Writes between a plan and its read. */
        int between;

        void assertCacheExercised() {
            assertThat(incremental)
                    .as("computations reading the prefixes written since")
                    .isGreaterThan(500);
            assertThat(full).as("computations reading every slot").isGreaterThan(50);
            assertThat(overflowed).as("journal overflows").isGreaterThan(10);
            assertThat(between).as("writes between a plan and its read").isGreaterThan(50);
        }
    }

    /**
     * One seeded ledger written into tallies of {@code tail} over {@code partitions}: every so often each query's
     * snapshot from the cells, when planned, equals the slot path's (or the same refusal), both through a fresh cache
     * and through the query's cache kept as the ledger grows; now and then a write lands between the kept cache's
     * plan and its read (that computation is not compared: it saw the write in some cells only; the next ones are).
     */
    private static void compareOver(long seed, int tail, int partitions, Counts counts) {
        SplittableRandom r = new SplittableRandom(seed);
        TreeMap<String, Slot> slots = new TreeMap<>();
        // Journals from a few writes to more than the ledger's.
        int journal = List.of(8, 32, 128, BenchmarkTallies.JOURNAL).get(r.nextInt(4));
        BenchmarkTallies tallies = new BenchmarkTallies(tail, 500, journal);
        Map<ViewQuery, IrtCells.Cache> caches = new HashMap<>();
        int[] versions = {1, 1};
        int items = 6 + r.nextInt(20);
        int writes = 150 + r.nextInt(400);
        for (int w = 0; w < writes; w++) {
            write(slots, tallies, partitions, r, versions, items, w);
            if (w % 13 == 0 || w == writes - 1) {
                for (ViewQuery q : queries()) {
                    Optional<IrtCells.Plan> fresh;
                    try {
                        fresh = IrtCells.plan(tallies, CTX, q, new IrtCells.Cache().position());
                    } catch (UnknownParameterException e) {
                        assertThat(outcome(() -> expected(slots, q))).isEqualTo(e.getClass() + ": " + e.getMessage());
                        continue;
                    }
                    if (fresh.isEmpty()) {
                        counts.unplanned++;
                        continue;
                    }
                    Object expected = outcome(() -> expected(slots, q));
                    Object actual = outcome(() ->
                            build(new IrtCells.Cache(), fresh.orElseThrow(), slots, partitions, Long.MAX_VALUE, q));
                    assertThat(actual).as("seed %d, write %d, %s", seed, w, q).isEqualTo(expected);
                    IrtCells.Cache cache = caches.computeIfAbsent(q, x -> new IrtCells.Cache());
                    IrtCells.Position at = cache.position();
                    IrtCells.Plan plan = IrtCells.plan(tallies, CTX, q, at).orElseThrow();
                    boolean between = r.nextInt(8) == 0;
                    if (between) {
                        write(slots, tallies, partitions, r, versions, items, w);
                        counts.between++;
                    }
                    Object cached = outcome(() -> build(cache, plan, slots, partitions, Long.MAX_VALUE, q));
                    if (!between) {
                        assertThat(cached)
                                .as("kept, seed %d, write %d, %s", seed, w, q)
                                .isEqualTo(expected);
                    }
                    if (!between && cached instanceof LeaderboardSnapshot) {
                        assertSameMatrices(cache, tallies, slots, q, "kept, seed " + seed + ", write " + w);
                        assertThat(cache.slots())
                                .as("slots the limit counts, seed %d, write %d, %s", seed, w, q)
                                .isEqualTo(plan.judgments());
                    }
                    if (cache.scanned() >= 0) {
                        counts.incremental++;
                    } else {
                        counts.full++;
                        if (plan.changed() == null && at.epoch() == plan.epoch() && plan.judgments() > 0) {
                            counts.overflowed++;
                        }
                    }
                    counts.planned++;
                    if (expected instanceof LeaderboardSnapshot e && e.kendallTau() != null) {
                        counts.withTau++;
                    }
                }
            }
        }
    }

    /**
     * One random write as the fold makes it: mostly reference verdicts of two judges (re-versioned now and then) and
     * a human, some of another kind, several variants a cell, some unparseable or without an item id; and now and
     * then a slot taken away, as a dropped partition's.
     */
    private static void write(
            TreeMap<String, Slot> slots,
            BenchmarkTallies tallies,
            int partitions,
            SplittableRandom r,
            int[] versions,
            int items,
            int w) {
        int judge = r.nextInt(2);
        if (r.nextInt(80) == 0) {
            versions[judge]++;
        }
        String item = r.nextInt(40) == 0 ? "~" + r.nextInt(2) : "q" + r.nextInt(items);
        String judgeId = r.nextInt(30) == 0 ? "human" : List.of("j1", "j2").get(judge);
        String version = Integer.toString(versions[judge] - (r.nextInt(10) == 0 ? 1 : 0));
        Slot s = slot(item, "m" + r.nextInt(5), judgeId, version, r.nextBoolean(), r.nextInt(6) == 0, w);
        s = withVariant(
                s, r.nextInt(3) == 0 ? null : "v" + r.nextInt(3), r.nextInt(15) == 0, "id" + r.nextInt(1 << 20));
        put(slots, tallies, partitions, s);
        if (r.nextInt(20) == 0) {
            List<String> keys = new ArrayList<>(slots.keySet());
            String gone = keys.get(r.nextInt(keys.size()));
            Tallying.replace(tallies, partition(gone, partitions), gone, slots.remove(gone), null);
        }
    }

    private static List<ViewQuery> queries() {
        return List.of(
                ViewQuery.of(View.IRT),
                new ViewQuery(View.IRT, null, null, null, null, null, false, 5),
                new ViewQuery(View.IRT, null, null, null, null, null, false, 0, "j2"),
                new ViewQuery(View.IRT, null, null, null, null, null, false, 7, "human"),
                new ViewQuery(View.IRT, null, null, null, null, null, false, 5, "nobody"));
    }

    private static LeaderboardSnapshot expected(TreeMap<String, Slot> slots, ViewQuery q) {
        return Leaderboards.build(BENCHMARK, ViewSlots.read(slots::forEach, s -> true), CTX, q, AS_OF);
    }

    private static IrtCells.Plan plan(BenchmarkTallies tallies, ViewQuery q, IrtCells.Cache cache) {
        return IrtCells.plan(tallies, CTX, q, cache.position()).orElseThrow();
    }

    /**
     * The view of {@code plan} through {@code cache}: every slot read store by store (a partition each, in key order)
     * when it reads them all.
     */
    private static LeaderboardSnapshot build(
            IrtCells.Cache cache,
            IrtCells.Plan plan,
            TreeMap<String, Slot> slots,
            int partitions,
            long limit,
            ViewQuery q) {
        return cache.build(
                BENCHMARK,
                plan,
                action -> {
                    for (int p = partitions - 1; p >= 0; p--) {
                        int partition = p;
                        slots.forEach((key, s) -> {
                            if (partition(key, partitions) == partition) {
                                action.accept(key, s);
                            }
                        });
                    }
                },
                limit,
                count -> new IllegalStateException("refused: " + count),
                CTX,
                q,
                AS_OF);
    }

    /**
     * The matrices a computation through {@code cache} fits now are the slot path's, to the bit: the view's of the
     * board's parseable verdicts with an item id, and the stability tau's of those without the plan's latest.
     */
    private static void assertSameMatrices(
            IrtCells.Cache cache, BenchmarkTallies tallies, TreeMap<String, Slot> slots, ViewQuery q, String as) {
        IrtCells.Plan p = plan(tallies, q, cache);
        if (p.judgments() == 0) {
            return;
        }
        IrtBuilder.Cells[] cells =
                cache.cells(p, slots::forEach, Long.MAX_VALUE, count -> new IllegalStateException("refused: " + count));
        List<Slot> board = slots.values().stream()
                .filter(s -> s.kind() == JudgmentKind.CORRECT
                        && Objects.equals(s.judgeId(), p.judge())
                        && Objects.equals(s.judgeVersion(), p.version())
                        && !s.unparseable()
                        && s.itemId() != null)
                .toList();
        assertSameCells(cells[0], IrtBuilder.cells(board), as + ", the view's matrix");
        assertThat(cells[1] == null).as(as).isEqualTo(p.latest() == null);
        if (p.latest() != null) {
            List<Slot> earlier = new ArrayList<>(board);
            p.latest().forEach(earlier::remove);
            assertSameCells(cells[1], IrtBuilder.cells(earlier), as + ", the stability tau's matrix");
        }
    }

    private static void assertSameCells(IrtBuilder.Cells actual, IrtBuilder.Cells expected, String as) {
        assertThat(actual.models()).as(as).containsExactly(expected.models());
        assertThat(actual.items()).as(as).containsExactly(expected.items());
        assertThat(actual.matrix().models()).as(as).isEqualTo(expected.matrix().models());
        assertThat(actual.matrix().items()).as(as).isEqualTo(expected.matrix().items());
        assertThat(actual.matrix().model())
                .as(as)
                .containsExactly(expected.matrix().model());
        assertThat(actual.matrix().item())
                .as(as)
                .containsExactly(expected.matrix().item());
        assertThat(actual.matrix().y()).as(as).containsExactly(expected.matrix().y());
        assertThat(actual.counts()).as(as).containsExactly(expected.counts());
        assertThat(actual.verdicts()).as(as).containsExactly(expected.verdicts());
    }

    /** The snapshot, or the refusal's class and message. */
    private static Object outcome(Supplier<LeaderboardSnapshot> view) {
        try {
            return view.get();
        } catch (UnknownParameterException e) {
            return e.getClass() + ": " + e.getMessage();
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    /** Writes {@code s} under its key, in its item's partition, as the fold does (a newer verdict replaces the slot's). */
    private static void put(TreeMap<String, Slot> slots, BenchmarkTallies tallies, int partitions, Slot s) {
        String key = key(s);
        Slot old = slots.get(key);
        if (old == null || Fold.NEWEST.compare(s, old) > 0) {
            slots.put(key, s);
            Tallying.replace(tallies, partition(key, partitions), key, old, s);
        }
    }

    /** The partition of {@code key}'s item. */
    private static int partition(String key, int partitions) {
        return Math.floorMod(Fold.itemPrefix(key).hashCode(), partitions);
    }

    /** The slot key: benchmark, item, model, variant, judge, version, kind. */
    private static String key(Slot s) {
        return String.join(
                Fold.SEPARATOR,
                BENCHMARK,
                // As Fold.slotKey joins it: a slot without an item id (an older judgment's) is under "null".
                String.valueOf(s.itemId()),
                s.modelId(),
                s.format() == null ? Fold.NONE : s.format(),
                s.judgeId(),
                s.judgeVersion(),
                s.kind().name());
    }

    /** {@code s} in variant {@code format}, of another kind than reference when {@code score}, with judgment id {@code id}. */
    private static Slot withVariant(Slot s, String format, boolean score, String id) {
        return new Slot(
                id,
                s.revision(),
                s.correct(),
                s.category(),
                s.unparseable(),
                s.itemId(),
                s.modelId(),
                score ? JudgmentKind.SCORE : s.kind(),
                format,
                s.judgeId(),
                score ? 2.0 : null,
                null,
                null,
                100,
                null,
                false,
                null,
                s.publishedAt(),
                s.judgedAt(),
                "req",
                null,
                score ? 1.0 : null,
                score ? 3.0 : null,
                List.of("c"),
                s.judgeVersion(),
                null,
                null,
                null,
                null,
                s.human(),
                null);
    }

    /** A reference verdict judged {@code seconds} after the start. */
    private static Slot slot(
            String item,
            String model,
            String judge,
            String version,
            boolean correct,
            boolean unparseable,
            int seconds) {
        return new Slot(
                "id-" + item + model + judge + seconds,
                1,
                correct,
                null,
                unparseable,
                item.startsWith("~") ? null : item,
                model,
                JudgmentKind.CORRECT,
                null,
                judge,
                null,
                null,
                null,
                100,
                null,
                false,
                null,
                AS_OF.minusSeconds(86_400),
                AS_OF.minusSeconds(100_000 - seconds),
                "req",
                null,
                null,
                null,
                List.of("c"),
                version,
                null,
                null,
                null,
                null,
                judge.equals("human"),
                null);
    }
}
