package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.JudgmentKind;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.PairwiseOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code judge-agreement} from the labelled items' slots and the tallies' versions ({@link LabelledItems}) is
 * exactly the slot path's snapshot over every slot: randomised ledgers of every kind with several model judges
 * re-versioned as the ledger goes (their newest verdicts often on items without a label), a jury, unparseable
 * verdicts and labels, several humans, {@code judge=} queries, revisions and slots taken away, over one
 * partition with the default tails and over three with tails of three (which leave some views to the slots).
 */
class LabelledItemsTest {
    private static final Instant AS_OF = Instant.parse("2026-12-02T00:00:00Z");
    private static final String BENCHMARK = "b";
    private static final Leaderboards.Context CTX = new Leaderboards.Context(Map.of(), null);
    private static final List<String> HUMANS = List.of("human", "human:ana", "human:bo");

    @Test
    void labelledItemsGiveTheSlotPathsSnapshot() {
        Counts counts = new Counts();
        for (long seed = 1; seed <= 60; seed++) {
            compareOver(seed, BenchmarkTallies.TAIL, 1, counts);
        }
        assertThat(counts.planned).as("views from the labelled items").isGreaterThan(1000);
        assertThat(counts.withRows).as("views with rows").isGreaterThan(300);
        // The labelled items' own versions would not do: a judge's newest verdict is often elsewhere.
        assertThat(counts.naiveDiffers)
                .as("views the labelled items' own versions get wrong")
                .isGreaterThan(20);
        counts.assertCacheExercised();
    }

    @Test
    void shortTailsOverPartitionsGiveTheSlotPathsSnapshotOrLeaveItToTheSlots() {
        Counts counts = new Counts();
        for (long seed = 1; seed <= 40; seed++) {
            compareOver(seed, 3, 3, counts);
        }
        assertThat(counts.planned).as("views from the labelled items").isGreaterThan(1500);
        assertThat(counts.unplanned).as("views left to the slots").isPositive();
        counts.assertCacheExercised();
    }

    /** What {@link #compareOver} saw, over its seeds. */
    private static final class Counts {
        int planned;
        int withRows;
        int unplanned;
        int naiveDiffers;
        /** Items whose part a computation kept from the one before, and items it read again though kept. */
        long kept;

        long reread;
        /** Items labelled at two computations in a row and unlabelled between them. */
        int relabelled;

        void assertCacheExercised() {
            assertThat(kept).as("labelled items' parts kept").isGreaterThan(3_000);
            assertThat(reread).as("labelled items written since and read again").isGreaterThan(10_000);
            assertThat(relabelled)
                    .as("items unlabelled and labelled again between two views")
                    .isGreaterThan(100);
        }
    }

    @Test
    void aJudgeReversionedOnAnUnlabelledItemCountsAtItsNewVersion() {
        // Given: j1 agrees with the label on q0 at version 1, then judges q1 (no label) at version 2
        TreeMap<String, Slot> slots = new TreeMap<>();
        BenchmarkTallies tallies = new BenchmarkTallies();
        put(slots, tallies, 1, slot("q0", "m0", null, "j1", "1", JudgmentKind.CORRECT, null, 10, false), null);
        put(slots, tallies, 1, slot("q0", "m0", null, "human", "1", JudgmentKind.CORRECT, null, 20, false), null);
        put(slots, tallies, 1, slot("q1", "m0", null, "j1", "2", JudgmentKind.CORRECT, null, 30, false), null);
        ViewQuery q = ViewQuery.of(View.JUDGE_AGREEMENT);
        Optional<LabelledItems.Plan> plan = LabelledItems.plan(tallies, q);
        // Then: the plan reads q0 only, and j1 is at version 2, so it has no labelled verdict, as over every slot
        assertThat(plan.orElseThrow().items()).containsExactly("b|q0|");
        assertThat(plan.orElseThrow().versions()).containsEntry("j1", "2");
        LeaderboardSnapshot expected = Leaderboards.build(BENCHMARK, List.copyOf(slots.values()), CTX, q, AS_OF);
        assertThat(expected.rows()).isEmpty();
        assertThat(build(new LabelledItems.Cache(), plan.orElseThrow(), slots, q))
                .isEqualTo(expected);
    }

    @Test
    void moreLabelsThanTheTailsKeepAreStillPlanned() {
        // Given: tails of 3, a human's 10 labels (a judge version of labels only) and j1's verdicts beside them
        TreeMap<String, Slot> slots = new TreeMap<>();
        BenchmarkTallies tallies = new BenchmarkTallies(3);
        for (int i = 0; i < 10; i++) {
            put(
                    slots,
                    tallies,
                    1,
                    slot("q" + i, "m0", null, "j1", "1", JudgmentKind.CORRECT, null, 2 * i, false),
                    null);
            put(
                    slots,
                    tallies,
                    1,
                    slot("q" + i, "m0", null, "human", "1", JudgmentKind.CORRECT, null, 2 * i + 1, false),
                    null);
        }
        ViewQuery q = ViewQuery.of(View.JUDGE_AGREEMENT);
        // Then: planned (the labels' version is skipped, not walked back through), as the slot path gives it
        LabelledItems.Plan plan = LabelledItems.plan(tallies, q).orElseThrow();
        assertThat(plan.versions()).isEqualTo(Map.of("j1", "1"));
        LeaderboardSnapshot expected = Leaderboards.build(BENCHMARK, List.copyOf(slots.values()), CTX, q, AS_OF);
        assertThat(expected.rows()).hasSize(1);
        assertThat(build(new LabelledItems.Cache(), plan, slots, q)).isEqualTo(expected);
    }

    @Test
    void windowsPostCutoffAndOtherViewsAreNotPlanned() {
        BenchmarkTallies tallies = new BenchmarkTallies();
        assertThat(LabelledItems.plan(tallies, ViewQuery.of(View.JUDGE_AGREEMENT)))
                .isPresent();
        assertThat(LabelledItems.plan(tallies, ViewQuery.of(View.ACCURACY))).isEmpty();
        assertThat(LabelledItems.plan(
                        tallies,
                        new ViewQuery(View.JUDGE_AGREEMENT, null, null, null, null, Duration.ofDays(1), false, 100)))
                .isEmpty();
        assertThat(LabelledItems.plan(
                        tallies,
                        new ViewQuery(View.POST_CUTOFF, View.JUDGE_AGREEMENT, null, null, null, null, true, 100)))
                .isEmpty();
    }

    /**
     * One seeded ledger written into tallies of {@code tail} over {@code partitions}: every so often each query's
     * snapshot from the labelled items, when planned, equals the slot path's (or the same refusal), both read afresh
     * and with the query's cache of the labelled items' parts kept as the ledger grows (as the reader keeps it: items
     * written since, labels added and taken away, items unlabelled and labelled again, judges re-versioned); counts
     * those the labelled items' slots alone, with the versions they give, would get wrong.
     */
    private static void compareOver(long seed, int tail, int partitions, Counts counts) {
        SplittableRandom r = new SplittableRandom(seed);
        TreeMap<String, Slot> slots = new TreeMap<>();
        BenchmarkTallies tallies = new BenchmarkTallies(tail);
        Map<ViewQuery, LabelledItems.Cache> caches = new HashMap<>();
        Map<ViewQuery, LabelledItems.Plan> lastPlans = new HashMap<>();
        Set<String> unlabelled = new HashSet<>();
        // A share of the items carries labels; each judge moves to its next version now and then.
        int labelledShare = 1 + r.nextInt(4);
        int[] versions = {1, 1, 1};
        int writes = 100 + r.nextInt(500);
        for (int w = 0; w < writes; w++) {
            int judge = r.nextInt(3);
            if (r.nextInt(60) == 0) {
                versions[judge]++;
            }
            String item = r.nextInt(30) == 0 ? "~" + r.nextInt(2) : "q" + r.nextInt(24);
            boolean label = !item.startsWith("~") && Integer.parseInt(item.substring(1)) % 4 < labelledShare
                    ? r.nextInt(3) == 0
                    : r.nextInt(200) == 0;
            // Now and then a label under a model judge's id: the model judge's version is of its own verdicts only.
            String judgeId = label
                    ? r.nextInt(20) == 0 ? "j2" : HUMANS.get(r.nextInt(3))
                    : List.of("j1", "j2", "panel").get(judge);
            String version =
                    label ? "1" : Integer.toString(versions[judge] - r.nextInt(2) * (r.nextInt(4) == 0 ? 1 : 0));
            Slot s = randomSlot(r, item, judgeId, version, w, label);
            put(slots, tallies, partitions, s, r.nextInt(25) == 0 ? r : null);
            if (r.nextInt(40) == 0) {
                unlabelled.addAll(unlabelOne(slots, tallies, partitions, r));
            }
            if (w % 37 == 0 || w == writes - 1) {
                for (ViewQuery q : queries()) {
                    Optional<LabelledItems.Plan> plan = LabelledItems.plan(tallies, q);
                    if (plan.isEmpty()) {
                        counts.unplanned++;
                        continue;
                    }
                    Object expected = outcome(() -> Leaderboards.build(BENCHMARK, read(slots, null), CTX, q, AS_OF));
                    Object actual = outcome(() -> build(new LabelledItems.Cache(), plan.orElseThrow(), slots, q));
                    assertThat(actual).as("seed %d, write %d, %s", seed, w, q).isEqualTo(expected);
                    LabelledItems.Cache cache = caches.computeIfAbsent(q, x -> new LabelledItems.Cache());
                    Object cached = outcome(() -> build(cache, plan.orElseThrow(), slots, q));
                    assertThat(cached)
                            .as("kept, seed %d, write %d, %s", seed, w, q)
                            .isEqualTo(expected);
                    LabelledItems.Plan last = lastPlans.put(q, plan.orElseThrow());
                    if (last != null) {
                        count(last, plan.orElseThrow(), cache.scanned(), unlabelled, counts);
                    }
                    counts.planned++;
                    Object naive = outcome(() ->
                            JudgeAgreementBuilder.snapshot(BENCHMARK, read(slots, plan.orElseThrow()), CTX, q, AS_OF));
                    counts.naiveDiffers += naive.equals(expected) ? 0 : 1;
                    if (expected instanceof LeaderboardSnapshot e && !e.rows().isEmpty()) {
                        counts.withRows++;
                    }
                }
                unlabelled.clear();
            }
        }
    }

    /**
     * Counts the items of {@code now} kept from {@code last} (same stamp), read again though in {@code last} (its
     * items {@code scanned} less those new to it), and labelled at both with their labels taken away between.
     */
    private static void count(
            LabelledItems.Plan last, LabelledItems.Plan now, long scanned, Set<String> unlabelled, Counts counts) {
        Map<String, Long> before = new HashMap<>();
        for (int i = 0; i < last.items().size(); i++) {
            before.put(last.items().get(i), last.stamps()[i]);
        }
        long fresh = 0;
        long kept = 0;
        for (int i = 0; i < now.items().size(); i++) {
            Long stamp = before.get(now.items().get(i));
            if (stamp == null) {
                fresh++;
            } else if (stamp == now.stamps()[i]) {
                kept++;
            } else if (unlabelled.contains(now.items().get(i))) {
                counts.relabelled++;
            }
        }
        // The cache reads exactly the items new to the plan or written since the last one.
        assertThat(scanned).as("items read").isEqualTo(now.items().size() - kept);
        counts.kept += kept;
        counts.reread += scanned - fresh;
    }

    /** Takes every label of a random labelled item away, as a dropped partition's; the item, if any. */
    private static List<String> unlabelOne(
            TreeMap<String, Slot> slots, BenchmarkTallies tallies, int partitions, SplittableRandom r) {
        List<String> labelled = tallies.labelledItems();
        if (labelled.isEmpty()) {
            return List.of();
        }
        String item = labelled.get(r.nextInt(labelled.size()));
        for (String key :
                new ArrayList<>(slots.subMap(item, item + Character.MAX_VALUE).keySet())) {
            if (slots.get(key).human()) {
                Tallying.replace(tallies, partition(key, partitions), key, slots.remove(key), null);
            }
        }
        return List.of(item);
    }

    /** The view of {@code plan} through {@code cache}, the items' slots read from {@code slots}. */
    private static LeaderboardSnapshot build(
            LabelledItems.Cache cache, LabelledItems.Plan plan, TreeMap<String, Slot> slots, ViewQuery q) {
        return cache.build(
                BENCHMARK,
                plan,
                (prefix, action) -> slots.subMap(prefix, prefix + Character.MAX_VALUE)
                        .values()
                        .forEach(action),
                Long.MAX_VALUE,
                IllegalStateException::new,
                CTX,
                q,
                AS_OF);
    }

    private static List<ViewQuery> queries() {
        List<ViewQuery> out = new ArrayList<>();
        out.add(ViewQuery.of(View.JUDGE_AGREEMENT));
        for (String judge : List.of("human", "human:ana", "human:bo", "j1")) {
            out.add(new ViewQuery(View.JUDGE_AGREEMENT, null, null, null, null, null, false, 100, judge));
        }
        return out;
    }

    /** The snapshot, or the refusal's class and message. */
    private static Object outcome(java.util.function.Supplier<LeaderboardSnapshot> view) {
        try {
            return view.get();
        } catch (UnknownParameterException e) {
            return e.getClass() + ": " + e.getMessage();
        }
    }

    /**
     * The slots as the reader reads them ({@link ViewSlots}): every one ({@code plan} null), else those of the
     * plan's items, a prefix scan each.
     */
    private static List<Slot> read(TreeMap<String, Slot> slots, LabelledItems.Plan plan) {
        if (plan == null) {
            return ViewSlots.read(slots::forEach, s -> true);
        }
        return ViewSlots.read(
                action -> plan.items().forEach(prefix -> {
                    for (Map.Entry<String, Slot> e : slots.tailMap(prefix, true).entrySet()) {
                        if (!e.getKey().startsWith(prefix)) {
                            break;
                        }
                        action.accept(e.getKey(), e.getValue());
                    }
                }),
                s -> true);
    }

    /**
     * Writes {@code s} under its key, in its item's partition of {@code partitions}, as the fold does (a newer
     * verdict replaces the slot's); with {@code remove}, takes a random slot away afterwards (a dropped partition's).
     */
    private static void put(
            TreeMap<String, Slot> slots, BenchmarkTallies tallies, int partitions, Slot s, SplittableRandom remove) {
        String key = key(s);
        Slot old = slots.get(key);
        if (old == null || Fold.NEWEST.compare(s, old) > 0) {
            slots.put(key, s);
            Tallying.replace(tallies, partition(key, partitions), key, old, s);
        }
        if (remove != null) {
            List<String> keys = new ArrayList<>(slots.keySet());
            String gone = keys.get(remove.nextInt(keys.size()));
            Tallying.replace(tallies, partition(gone, partitions), gone, slots.remove(gone), null);
        }
    }

    /** The partition of {@code key}'s item. */
    private static int partition(String key, int partitions) {
        return Math.floorMod(Fold.itemPrefix(key).hashCode(), partitions);
    }

    /** The slot key: benchmark, item, model, variant, judge, version, kind, baseline. */
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
                s.kind().name(),
                s.baseline() == null ? Fold.NONE : s.baseline());
    }

    private static Slot randomSlot(
            SplittableRandom r, String item, String judge, String version, int w, boolean human) {
        JudgmentKind kind = JudgmentKind.values()[r.nextInt(JudgmentKind.values().length)];
        String model = "m" + r.nextInt(3);
        String format = r.nextInt(3) == 0 ? null : "v" + r.nextInt(2);
        String baseline =
                kind == JudgmentKind.PAIRWISE || kind == JudgmentKind.PREFERENCE ? "base" + r.nextInt(2) : null;
        boolean unparseable = r.nextInt(6) == 0;
        // Judged as the ledger goes, with ties and some without a time.
        Instant judgedAt = r.nextInt(40) == 0 ? null : AS_OF.minusSeconds(10_000 - w + r.nextInt(3));
        Map<String, Double> jury = null;
        if (judge.equals("panel") && kind != JudgmentKind.CORRECT && !unparseable) {
            jury = new TreeMap<>();
            for (String member : List.of("ma", "mb")) {
                jury.put(
                        member,
                        switch (kind) {
                            case PAIRWISE -> r.nextInt(5) - 2.0 + (r.nextBoolean() ? 0.5 : 0.0);
                            case PREFERENCE -> r.nextInt(5) / 4.0;
                            default -> (double) (1 + r.nextInt(3));
                        });
            }
        }
        String itemId = item.startsWith("~") ? null : item;
        return new Slot(
                (item.startsWith("~") ? item.substring(1) : "") + "id" + Long.toHexString(r.nextLong() & 0xfff),
                1 + r.nextInt(2),
                r.nextBoolean(),
                null,
                unparseable,
                itemId,
                model,
                kind,
                format,
                judge,
                kind == JudgmentKind.SCORE && !unparseable ? (double) (1 + r.nextInt(3)) : null,
                kind == JudgmentKind.PAIRWISE && !unparseable
                        ? PairwiseOutcome.values()[r.nextInt(PairwiseOutcome.values().length)]
                        : null,
                baseline,
                100,
                120,
                false,
                kind == JudgmentKind.PREFERENCE && !unparseable
                        ? List.of(0.0, 1.0, 1.5, 2.0, 1.25).get(r.nextInt(5))
                        : null,
                AS_OF.minusSeconds(86_400),
                judgedAt,
                r.nextInt(4) == 0 ? null : "req" + r.nextInt(2),
                null,
                kind == JudgmentKind.SCORE && !unparseable ? 1.0 : null,
                kind == JudgmentKind.SCORE && !unparseable ? 3.0 : null,
                List.of("c"),
                version,
                null,
                null,
                null,
                null,
                human,
                jury);
    }

    /** A verdict judged {@code seconds} after the start, without the random parts. */
    private static Slot slot(
            String item,
            String model,
            String format,
            String judge,
            String version,
            JudgmentKind kind,
            String baseline,
            int seconds,
            boolean unparseable) {
        return new Slot(
                "id-" + item + judge + seconds,
                1,
                true,
                null,
                unparseable,
                item.startsWith("~") ? null : item,
                model,
                kind,
                format,
                judge,
                null,
                null,
                baseline,
                100,
                null,
                false,
                null,
                AS_OF.minusSeconds(86_400),
                AS_OF.minusSeconds(10_000 - seconds),
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
                HUMANS.contains(judge),
                null);
    }
}
