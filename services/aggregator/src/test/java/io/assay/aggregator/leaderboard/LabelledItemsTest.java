package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.JudgmentKind;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.PairwiseOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        int[] planned = {0};
        int[] withRows = {0};
        int[] naiveDiffers = {0};
        for (long seed = 1; seed <= 60; seed++) {
            compareOver(seed, BenchmarkTallies.TAIL, 1, planned, withRows, new int[1], naiveDiffers);
        }
        assertThat(planned[0]).as("views from the labelled items").isGreaterThan(1000);
        assertThat(withRows[0]).as("views with rows").isGreaterThan(300);
        // The labelled items' own versions would not do: a judge's newest verdict is often elsewhere.
        assertThat(naiveDiffers[0])
                .as("views the labelled items' own versions get wrong")
                .isGreaterThan(20);
    }

    @Test
    void shortTailsOverPartitionsGiveTheSlotPathsSnapshotOrLeaveItToTheSlots() {
        int[] planned = {0};
        int[] withRows = {0};
        int[] unplanned = {0};
        for (long seed = 1; seed <= 40; seed++) {
            compareOver(seed, 3, 3, planned, withRows, unplanned, new int[1]);
        }
        assertThat(planned[0]).as("views from the labelled items").isGreaterThan(1500);
        assertThat(unplanned[0]).as("views left to the slots").isPositive();
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
        assertThat(LabelledItems.build(BENCHMARK, plan.orElseThrow(), read(slots, plan.orElseThrow()), CTX, q, AS_OF))
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
        assertThat(LabelledItems.build(BENCHMARK, plan, read(slots, plan), CTX, q, AS_OF))
                .isEqualTo(expected);
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
     * snapshot from the labelled items, when planned, equals the slot path's (or the same refusal); counts those the
     * labelled items' slots alone, with the versions they give, would get wrong.
     */
    private static void compareOver(
            long seed, int tail, int partitions, int[] planned, int[] withRows, int[] unplanned, int[] naiveDiffers) {
        SplittableRandom r = new SplittableRandom(seed);
        TreeMap<String, Slot> slots = new TreeMap<>();
        BenchmarkTallies tallies = new BenchmarkTallies(tail);
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
            if (w % 37 == 0 || w == writes - 1) {
                for (ViewQuery q : queries()) {
                    Optional<LabelledItems.Plan> plan = LabelledItems.plan(tallies, q);
                    if (plan.isEmpty()) {
                        unplanned[0]++;
                        continue;
                    }
                    Object expected = outcome(() -> Leaderboards.build(BENCHMARK, read(slots, null), CTX, q, AS_OF));
                    Object actual = outcome(() -> LabelledItems.build(
                            BENCHMARK, plan.orElseThrow(), read(slots, plan.orElseThrow()), CTX, q, AS_OF));
                    assertThat(actual).as("seed %d, write %d, %s", seed, w, q).isEqualTo(expected);
                    planned[0]++;
                    Object naive = outcome(() ->
                            JudgeAgreementBuilder.snapshot(BENCHMARK, read(slots, plan.orElseThrow()), CTX, q, AS_OF));
                    naiveDiffers[0] += naive.equals(expected) ? 0 : 1;
                    if (expected instanceof LeaderboardSnapshot e && !e.rows().isEmpty()) {
                        withRows[0]++;
                    }
                }
            }
        }
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
                s.itemId() == null ? "~" + s.judgmentId().charAt(0) : s.itemId(),
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
