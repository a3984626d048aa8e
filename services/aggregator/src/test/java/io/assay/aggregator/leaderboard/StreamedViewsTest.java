package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.Json;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Provider;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The views {@link StreamedViews} streams — a window, post-cutoff, another length penalty K, a stability lag
 * longer than the tallies' tails — are exactly the slot path's snapshots: randomised ledgers of every kind
 * ({@link TalliedViewsTest}'s and {@link TalliedRewardsTest}'s verdicts, with revisions and removals), items
 * published over two months, models with and without a knowledge cutoff, and the slots scanned as the
 * aggregator's composite store reads them (two partitions, one after the other, each in key order).
 */
class StreamedViewsTest {
    private static final Instant AS_OF = Instant.parse("2026-12-01T00:00:00Z");
    private static final String BENCHMARK = "b";
    /** The views the tallies answer; each is asked with every filter below. */
    private static final List<View> TALLIED = List.of(
            View.ACCURACY,
            View.FORMAT_SPREAD,
            View.REGRESSION,
            View.POSITION_BIAS,
            View.SCORE,
            View.WB_SCORE,
            View.WINRATE,
            View.WB_REWARD,
            View.BT,
            View.ELO);

    /** Per case (window, post-cutoff, k, lag), how many streamed snapshots with rows were compared. */
    private final Map<String, Integer> compared = new TreeMap<>();

    @Test
    void streamedViewsAreTheSlotPathsSnapshots() {
        for (long seed = 1; seed <= 25; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            TreeMap<String, Slot> slots = new TreeMap<>();
            BenchmarkTallies tallies = history(random, slots);
            assertSame(slots, tallies, context(random, true), seed);
        }
        assertThat(compared)
                .as("streamed snapshots with rows, per case")
                .allSatisfy((c, n) -> assertThat(n).as(c).isGreaterThan(20))
                .containsOnlyKeys("window", "post-cutoff", "k", "lag");
    }

    @Test
    void postCutoffReadsNoSlotWhenNoModelDeclaresACutoff() {
        for (long seed = 1; seed <= 10; seed++) {
            // Given: a random history, and models none of which declares a knowledge cutoff
            SplittableRandom random = new SplittableRandom(seed);
            TreeMap<String, Slot> slots = new TreeMap<>();
            BenchmarkTallies tallies = history(random, slots);
            Leaderboards.Context ctx = context(random, false);
            for (ViewQuery q : List.of(
                    ViewQuery.of(View.POST_CUTOFF),
                    new ViewQuery(View.ACCURACY, null, null, null, null, Duration.ofDays(20), true, 0))) {
                Optional<StreamedViews.Counted> counted =
                        StreamedViews.counted(BENCHMARK, tallies, ItemSlots.of(slots), ctx, q, AS_OF);
                if (counted.isEmpty()) {
                    continue; // no reference verdict to count in this history
                }
                // When: it is streamed
                int[] read = {0};
                Optional<LeaderboardSnapshot> streamed = StreamedViews.build(
                        BENCHMARK,
                        counted.orElseThrow(),
                        ctx,
                        q,
                        AS_OF,
                        action -> slots.forEach((k, s) -> {
                            read[0]++;
                            action.accept(k, s);
                        }),
                        ItemSlots.of(slots));
                // Then: no slot is read, and the snapshot is the slot path's (no rows)
                LeaderboardSnapshot expected =
                        Leaderboards.build(BENCHMARK, List.copyOf(slots.values()), ctx, q, AS_OF);
                assertThat(read[0]).as("seed %d, %s", seed, q).isZero();
                assertThat(streamed).as("seed %d, %s", seed, q).contains(expected);
                assertThat(expected.rows()).isEmpty();
            }
        }
    }

    @Test
    void aLagLongerThanTheTailsIsStreamedWithATailAsLong() {
        // Given: 700 reference verdicts of one judge version, in tallies that keep tails of 200
        SplittableRandom random = new SplittableRandom(11);
        TreeMap<String, Slot> slots = new TreeMap<>();
        BenchmarkTallies tallies = new BenchmarkTallies();
        for (int i = 0; i < 700; i++) {
            String key = String.join(Fold.SEPARATOR, BENCHMARK, "q" + i / 6, "m" + i % 6, "v1", "j1", "1", "correct");
            Slot s = published(random, key);
            slots.put(key, s);
            Tallying.replace(tallies, key, null, s);
        }
        Leaderboards.Context ctx = context(random, true);
        for (View v : List.of(View.ACCURACY, View.FORMAT_SPREAD)) {
            ViewQuery q = new ViewQuery(v, null, null, null, null, null, false, 300);
            // When: a lag of 300 is asked for
            assertThat(TalliedViews.build(BENCHMARK, tallies, ItemSlots.of(slots), ctx, q, AS_OF))
                    .isEmpty();
            Optional<LeaderboardSnapshot> streamed = StreamedViews.build(
                    BENCHMARK,
                    StreamedViews.counted(BENCHMARK, tallies, ItemSlots.of(slots), ctx, q, AS_OF)
                            .orElseThrow(),
                    ctx,
                    q,
                    AS_OF,
                    slots::forEach,
                    ItemSlots.of(slots));
            // Then: it is streamed, stability tau included
            LeaderboardSnapshot expected = Leaderboards.build(BENCHMARK, List.copyOf(slots.values()), ctx, q, AS_OF);
            assertThat(expected.kendallTau()).isNotNull();
            assertThat(streamed).contains(expected);
        }
    }

    private void assertSame(
            TreeMap<String, Slot> slots, BenchmarkTallies tallies, Leaderboards.Context ctx, long seed) {
        List<Slot> ordered = List.copyOf(slots.values());
        // Two partitions by item, scanned one after the other: an item's slots stay together.
        List<TreeMap<String, Slot>> partitions = List.of(new TreeMap<>(), new TreeMap<>());
        slots.forEach((k, s) -> partitions
                .get(Math.floorMod(
                        BenchmarkTallies.itemAndModel(k).split("\\|")[1].hashCode(), 2))
                .put(k, s));
        SlotScan scan = action -> {
            partitions.get(1).forEach(action);
            partitions.get(0).forEach(action);
        };
        for (Case c : queries()) {
            ViewQuery q = c.query;
            String refused = TalliedViewsTest.catchMessage(() -> Leaderboards.build(BENCHMARK, ordered, ctx, q, AS_OF));
            if (refused != null && TalliedViews.answers(tallies, q)
                    || TalliedViews.build(BENCHMARK, tallies, ItemSlots.of(slots), ctx, q, AS_OF)
                            .isPresent()) {
                continue; // the tallies answer it as they are (TalliedViewsTest)
            }
            Optional<StreamedViews.Counted> counted;
            try {
                counted = StreamedViews.counted(BENCHMARK, tallies, ItemSlots.of(slots), ctx, q, AS_OF);
            } catch (UnknownParameterException e) {
                assertThat(e.getMessage()).as("seed %d, %s", seed, q).isEqualTo(refused);
                continue;
            }
            if (refused != null || counted.isEmpty()) {
                assertThat(counted)
                        .as("seed %d, %s refused: %s", seed, q, refused)
                        .isEmpty();
                continue;
            }
            Optional<LeaderboardSnapshot> streamed =
                    StreamedViews.build(BENCHMARK, counted.orElseThrow(), ctx, q, AS_OF, scan, ItemSlots.of(slots));
            if (streamed.isEmpty()) {
                // Only a regression with an ambiguous case, or a baseline no kept slot names, needs the slots.
                assertThat(q.effective() == View.REGRESSION || q.baseline() != null)
                        .as("seed %d, %s", seed, q)
                        .isTrue();
                continue;
            }
            LeaderboardSnapshot expected = Leaderboards.build(BENCHMARK, ordered, ctx, q, AS_OF);
            assertThat(Json.canonical(streamed.orElseThrow()))
                    .as("seed %d, %s", seed, q)
                    .isEqualTo(Json.canonical(expected));
            assertThat(streamed.orElseThrow()).as("seed %d, %s", seed, q).isEqualTo(expected);
            if (!expected.rows().isEmpty()) {
                compared.merge(c.name, 1, Integer::sum);
            }
        }
    }

    record Case(String name, ViewQuery query) {}

    static List<Case> queries() {
        List<Case> out = new ArrayList<>();
        Duration week = Duration.ofDays(7);
        for (View v : TALLIED) {
            String baseline = v == View.WINRATE || v == View.WB_REWARD ? "base" : null;
            for (String judge : new String[] {null, "j1"}) {
                out.add(new Case("window", new ViewQuery(v, null, null, null, null, week, false, 5, judge)));
                out.add(new Case("window", new ViewQuery(v, null, null, baseline, null, week, false, 0, judge)));
                out.add(new Case(
                        "post-cutoff", new ViewQuery(View.POST_CUTOFF, v, null, null, null, null, true, 5, judge)));
                out.add(new Case("post-cutoff", new ViewQuery(v, null, null, baseline, null, week, true, 40, judge)));
                out.add(new Case("lag", new ViewQuery(v, null, null, baseline, null, null, false, 40, judge)));
            }
        }
        out.add(new Case("post-cutoff", ViewQuery.of(View.POST_CUTOFF)));
        for (Integer k : new Integer[] {null, 100, -1}) {
            for (String judge : new String[] {null, "j1", "j2"}) {
                out.add(new Case("k", new ViewQuery(View.WB_REWARD, null, k, null, null, null, false, 5, judge)));
                out.add(new Case("k", new ViewQuery(View.WB_REWARD, null, k, "alt", null, null, false, 0, judge)));
            }
        }
        return out;
    }

    /** A verdict for {@code key} whose item was published some time in the two months before {@link #AS_OF}. */
    static Slot published(SplittableRandom r, String key) {
        String kind = key.split("\\|")[6];
        Slot s = kind.equals("correct") || kind.equals("score")
                ? TalliedViewsTest.slot(r, key)
                : TalliedRewardsTest.slot(r, key);
        return withPublishedAt(s, r.nextInt(30) == 0 ? null : AS_OF.minus(Duration.ofHours(r.nextInt(60 * 24))));
    }

    /** {@code s} as if its item was published {@code at}. */
    static Slot withPublishedAt(Slot s, Instant at) {
        return new Slot(
                s.judgmentId(),
                s.revision(),
                s.correct(),
                s.category(),
                s.unparseable(),
                s.itemId(),
                s.modelId(),
                s.kind(),
                s.format(),
                s.judgeId(),
                s.score(),
                s.outcome(),
                s.baseline(),
                s.answerChars(),
                s.baselineChars(),
                s.truncatedOrEmpty(),
                s.preference(),
                at,
                s.judgedAt(),
                s.requestId(),
                s.rationale(),
                s.scoreMin(),
                s.scoreMax(),
                s.categories(),
                s.judgeVersion(),
                s.instructionDifficulty(),
                s.pairOrder(),
                s.pairVerdicts(),
                s.correctPosition(),
                s.human(),
                s.juryVerdicts());
    }

    /**
     * Up to 550 random writes of {@link TalliedViewsTest}'s and {@link TalliedRewardsTest}'s keys into {@code
     * slots}, and the tallies of them, with tails of 3 verdicts (a lag of 5 or 40 is longer than they keep).
     */
    static BenchmarkTallies history(SplittableRandom random, TreeMap<String, Slot> slots) {
        BenchmarkTallies tallies = new BenchmarkTallies(3);
        int writes = 50 + random.nextInt(500);
        for (int w = 0; w < writes; w++) {
            String key =
                    random.nextBoolean() ? TalliedViewsTest.randomKey(random) : TalliedRewardsTest.randomKey(random);
            Slot now = random.nextInt(20) == 0 ? null : published(random, key);
            Slot old = now == null ? slots.remove(key) : slots.put(key, now);
            Tallying.replace(tallies, key, old, now);
        }
        return tallies;
    }

    /**
     * {@link TalliedRewardsTest}'s spec (j1 with a length penalty of its own in some runs), models whose
     * knowledge cutoffs fall within the two months or that declare none (m0; every model without {@code
     * cutoffs}), m2 following m1.
     */
    static Leaderboards.Context context(SplittableRandom r, boolean cutoffs) {
        Map<String, ModelSpec> models = new TreeMap<>();
        for (int i = 0; i < 6; i++) {
            LocalDate cutoff =
                    i == 0 || !cutoffs ? null : LocalDate.of(2026, 10, 1).plusDays(r.nextInt(60));
            models.put(
                    "m" + i,
                    new ModelSpec(
                            "m" + i,
                            null,
                            Provider.SIM,
                            null,
                            null,
                            null,
                            null,
                            cutoff,
                            i == 2 ? "m1" : null,
                            null,
                            null,
                            null,
                            null,
                            null));
        }
        return new Leaderboards.Context(models, TalliedRewardsTest.context(r).spec());
    }
}
