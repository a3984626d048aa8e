package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PairwiseOutcome;
import io.assay.contracts.Protocol;
import io.assay.contracts.Provider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The views built from {@link BenchmarkTallies} are exactly the slot path's snapshots: randomised
 * ledgers with revisions, unparseable verdicts, several judges, judge versions, prompt variants and
 * categories, slots without item ids, timestamps that tie, and slots taken away again.
 */
class TalliedViewsTest {
    private static final Instant AS_OF = Instant.parse("2026-12-01T00:00:00Z");
    private static final String BENCHMARK = "b";

    /** How many regression views needed the slots (a pair to compare): the test must see both cases. */
    private final int[] regressionsOnSlots = new int[1];
    /** How many views with rows were compared, per view. */
    private final Map<View, Integer> scoresCompared = new java.util.EnumMap<>(View.class);
    /** How many views with a stability tau were compared, per view. */
    private final Map<View, Integer> tausCompared = new java.util.EnumMap<>(View.class);
    /** How many views the tallies left to the slots because their tails were too short, per view. */
    private final Map<View, Integer> leftToSlots = new java.util.EnumMap<>(View.class);

    @Test
    void accuracyFromTalliesIsTheSlotPathsSnapshot() {
        for (long seed = 1; seed <= 40; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            TreeMap<String, Slot> slots = new TreeMap<>();
            BenchmarkTallies tallies = new BenchmarkTallies();
            int writes = 50 + random.nextInt(600);
            for (int w = 0; w < writes; w++) {
                String key = randomKey(random);
                Slot now = random.nextInt(20) == 0 ? null : slot(random, key);
                Slot old = now == null ? slots.remove(key) : slots.put(key, now);
                Tallying.replace(tallies, key, old, now);
                if (w % 97 == 0 || w == writes - 1) {
                    assertSame(slots, tallies, context(random), seed, false);
                }
            }
        }
        assertThat(regressionsOnSlots[0])
                .as("regression views with a pair, from the slots")
                .isPositive();
        assertThat(scoresCompared.get(View.SCORE)).as("score views with rows").isGreaterThan(100);
        assertThat(scoresCompared.get(View.WB_SCORE))
                .as("wb-score views with rows")
                .isGreaterThan(100);
        assertThat(scoresCompared.get(View.POSITION_BIAS))
                .as("position-bias views with rows")
                .isGreaterThan(100);
        assertThat(tausCompared.get(View.POSITION_BIAS))
                .as("position-bias views with a tau")
                .isGreaterThan(50);
    }

    @Test
    void viewsFromTailsOfThreeOverPartitionsAreTheSlotPathsOrLeftToIt() {
        // Given: tallies that keep 3 verdicts per judge version and partition, items over 3 partitions, revised
        // slots (which leave the tails shorter) and items with several variants (whose other verdicts come from the
        // store)
        for (long seed = 1; seed <= 12; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            TreeMap<String, Slot> slots = new TreeMap<>();
            BenchmarkTallies tallies = new BenchmarkTallies(3);
            int writes = 50 + random.nextInt(400);
            for (int w = 0; w < writes; w++) {
                String key = randomKey(random);
                Slot now = random.nextInt(20) == 0 ? null : slot(random, key);
                Slot old = now == null ? slots.remove(key) : slots.put(key, now);
                Tallying.replace(tallies, Math.floorMod(key.split("\\|")[1].hashCode(), 3), key, old, now);
                if (w % 53 == 0 || w == writes - 1) {
                    // Then: each view is the slot path's, or left to it
                    assertSame(slots, tallies, context(random), seed, true);
                }
            }
        }
        for (View v : List.of(View.SCORE, View.WB_SCORE, View.POSITION_BIAS)) {
            assertThat(leftToSlots.get(v)).as("%s left to the slots", v).isPositive();
            assertThat(tausCompared.get(v))
                    .as("%s with a tau from the tallies", v)
                    .isGreaterThan(50);
        }
    }

    @Test
    void aScoreJudgeWhoseLatestVerdictsAreUnparseableKeepsItsScale() {
        // Given: tails of 3, and a judge whose 5 scores on 1..10 are followed by 6 unparseable verdicts
        TreeMap<String, Slot> slots = new TreeMap<>();
        BenchmarkTallies tallies = new BenchmarkTallies(3);
        for (int i = 0; i < 11; i++) {
            String key = String.join(Fold.SEPARATOR, BENCHMARK, "q" + i % 4, "m" + i % 2, "v" + i, "j1", "1", "score");
            Slot s = score(key, i < 5 ? 1.0 + i : null, AS_OF.minusSeconds(100 - i));
            Tallying.replace(tallies, key, slots.put(key, s), s);
        }
        Leaderboards.Context ctx = new Leaderboards.Context(Map.of(), null);
        for (int lag : new int[] {0, 2}) {
            ViewQuery q = new ViewQuery(View.SCORE, null, null, null, null, null, false, lag);
            // Then: the scale is the tallies' (its own tails keep the latest verdicts with a scale)
            LeaderboardSnapshot expected = Leaderboards.build(BENCHMARK, List.copyOf(slots.values()), ctx, q, AS_OF);
            assertThat(expected.params()).containsEntry("scale", "1..10");
            assertThat(TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), ctx, q, AS_OF))
                    .contains(expected);
        }
    }

    @Test
    void anItemsOtherVariantsComeFromTheStore() {
        // Given: an item whose two variants score 10/3 and 13/3, whose sum rounds to the bootstrap's fixed point
        // otherwise than the two scores do one by one, then one variant revised and one taken away
        TreeMap<String, Slot> slots = new TreeMap<>();
        BenchmarkTallies tallies = new BenchmarkTallies(3);
        String[] keys = new String[4];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = String.join(Fold.SEPARATOR, BENCHMARK, "q" + i / 2, "m0", "v" + i % 2, "j1", "1", "score");
            Slot s = score(keys[i], (10.0 + 3 * i) / 3, AS_OF.minusSeconds(100 - i));
            Tallying.replace(tallies, keys[i], slots.put(keys[i], s), s);
        }
        assertItemSumsAreTheSlotPaths(slots, tallies);
        Slot revised = score(keys[1], 16.0 / 3, AS_OF.minusSeconds(10));
        Tallying.replace(tallies, keys[1], slots.put(keys[1], revised), revised);
        assertItemSumsAreTheSlotPaths(slots, tallies);
        Tallying.replace(tallies, keys[0], slots.remove(keys[0]), null);
        assertItemSumsAreTheSlotPaths(slots, tallies);
    }

    /** Then: {@code score} and {@code wb-score} (their intervals read the items' sums) are the slot path's. */
    private static void assertItemSumsAreTheSlotPaths(TreeMap<String, Slot> slots, BenchmarkTallies tallies) {
        Leaderboards.Context ctx = new Leaderboards.Context(Map.of(), null);
        for (View v : List.of(View.SCORE, View.WB_SCORE)) {
            for (int lag : new int[] {0, 1}) {
                ViewQuery q = new ViewQuery(v, null, null, null, null, null, false, lag);
                assertThat(TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), ctx, q, AS_OF))
                        .as("%s", q)
                        .contains(Leaderboards.build(BENCHMARK, List.copyOf(slots.values()), ctx, q, AS_OF));
            }
        }
    }

    @Test
    void anUnknownJudgeIsRefusedAsTheSlotPathRefusesIt() {
        TreeMap<String, Slot> slots = new TreeMap<>();
        BenchmarkTallies tallies = new BenchmarkTallies();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 50; i++) {
            String key = randomKey(random);
            Slot s = slot(random, key);
            Tallying.replace(tallies, key, slots.put(key, s), s);
        }
        Leaderboards.Context ctx = new Leaderboards.Context(Map.of(), null);
        ViewQuery q = new ViewQuery(View.ACCURACY, null, null, null, null, null, false, 100, "nobody");
        assertThatThrownBy(() -> TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), ctx, q, AS_OF))
                .isInstanceOf(UnknownParameterException.class)
                .hasMessage(
                        catchMessage(() -> Leaderboards.build(BENCHMARK, List.copyOf(slots.values()), ctx, q, AS_OF)));
    }

    @Test
    void filtersDefinedOverTimeAndOtherViewsUseTheSlots() {
        BenchmarkTallies tallies = new BenchmarkTallies();
        SplittableRandom random = new SplittableRandom(3);
        String key = randomKey(random);
        Tallying.replace(tallies, key, null, slot(random, key));
        assertThat(TalliedViews.answers(tallies, ViewQuery.of(View.ACCURACY))).isTrue();
        assertThat(TalliedViews.answers(tallies, ViewQuery.of(View.POST_CUTOFF)))
                .isFalse();
        assertThat(TalliedViews.answers(tallies, ViewQuery.of(View.FORMAT_SPREAD)))
                .isTrue();
        assertThat(TalliedViews.answers(
                        tallies,
                        new ViewQuery(View.POST_CUTOFF, View.FORMAT_SPREAD, null, null, null, null, true, 100)))
                .isFalse();
        assertThat(TalliedViews.answers(
                        tallies,
                        new ViewQuery(View.ACCURACY, null, null, null, null, java.time.Duration.ofDays(1), false, 100)))
                .isFalse();
    }

    /**
     * Every view the tallies answer is the slot path's snapshot; with {@code shortTails} any may be left to the
     * slots instead (counted), else only a regression with a pair to compare.
     */
    private void assertSame(
            TreeMap<String, Slot> slots,
            BenchmarkTallies tallies,
            Leaderboards.Context ctx,
            long seed,
            boolean shortTails) {
        List<Slot> ordered = List.copyOf(slots.values());
        List<ViewQuery> queries = new ArrayList<>();
        for (View v : View.values()) {
            queries.add(ViewQuery.of(v));
        }
        for (View v : List.of(
                View.ACCURACY, View.FORMAT_SPREAD, View.REGRESSION, View.POSITION_BIAS, View.SCORE, View.WB_SCORE)) {
            for (int lag : new int[] {0, 1, 5, 40}) {
                queries.add(new ViewQuery(v, null, null, null, null, null, false, lag));
                queries.add(new ViewQuery(v, null, null, null, null, null, false, lag, "j1"));
                queries.add(new ViewQuery(v, null, null, null, null, null, false, lag, "j2"));
                queries.add(new ViewQuery(v, null, null, null, null, null, false, lag, "human"));
            }
        }
        int checked = 0;
        for (ViewQuery q : queries) {
            if (!TalliedViews.answers(tallies, q)) {
                assertThat(TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), ctx, q, AS_OF))
                        .isEmpty();
                continue;
            }
            String refused = catchMessage(() -> Leaderboards.build(BENCHMARK, ordered, ctx, q, AS_OF));
            if (refused != null) {
                assertThatThrownBy(
                                () -> TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), ctx, q, AS_OF))
                        .as("seed %d, %s", seed, q)
                        .isInstanceOf(UnknownParameterException.class)
                        .hasMessage(refused);
                continue;
            }
            var tallied = TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), ctx, q, AS_OF);
            if (tallied.isEmpty() && shortTails) {
                leftToSlots.merge(q.view(), 1, Integer::sum);
                continue;
            }
            if (tallied.isEmpty()) {
                // Only a regression with a pair to compare needs the slots.
                assertThat(q.effective()).isEqualTo(View.REGRESSION);
                regressionsOnSlots[0]++;
                continue;
            }
            LeaderboardSnapshot expected = Leaderboards.build(BENCHMARK, ordered, ctx, q, AS_OF);
            LeaderboardSnapshot actual = tallied.orElseThrow();
            assertThat(actual).as("seed %d, %s", seed, q).isEqualTo(expected);
            if (!actual.rows().isEmpty()) {
                scoresCompared.merge(q.view(), 1, Integer::sum);
            }
            if (actual.kendallTau() != null) {
                tausCompared.merge(q.view(), 1, Integer::sum);
            }
            assertThat(io.assay.contracts.Json.canonical(actual))
                    .as("seed %d, %s", seed, q)
                    .isEqualTo(io.assay.contracts.Json.canonical(expected));
            checked++;
        }
        assertThat(tallies.slots()).isEqualTo(slots.size());
        // Not only refusals: the default accuracy view at least was compared.
        assertThat(checked).as("seed %d", seed).isPositive();
    }

    static String randomKey(SplittableRandom r) {
        String kind = r.nextInt(4) == 0 ? "score" : "correct";
        String item = r.nextInt(25) == 0 ? "~" + r.nextInt(3) : "q" + r.nextInt(30);
        String model = "m" + r.nextInt(6);
        String variant = "v" + r.nextInt(r.nextInt(4) + 1);
        // A human's labels (docs/judging.md, "Human labels") among the judges: never the default while a model judged.
        String judge = r.nextInt(8) == 0 ? "human" : "j" + (1 + r.nextInt(2));
        String version = r.nextInt(4) == 0 ? "2" : "1";
        return String.join(Fold.SEPARATOR, BENCHMARK, item, model, variant, judge, version, kind);
    }

    /** A verdict for the slot under {@code key}: the key's parts, the rest drawn at random. */
    static Slot slot(SplittableRandom r, String key) {
        String[] p = key.split("\\|");
        String item = p[1].startsWith("~") ? null : p[1];
        boolean score = p[6].equals("score");
        List<String> categories = switch (r.nextInt(5)) {
            case 0 -> null;
            case 1 -> List.of();
            case 2 -> List.of("a", "b");
            default -> List.of(List.of("a", "b", "c").get(r.nextInt(3)));
        };
        String category = categories == null ? (r.nextBoolean() ? null : "c") : null;
        Instant judgedAt = r.nextInt(30) == 0 ? null : AS_OF.minusSeconds(r.nextInt(40));
        // Scores on 1–10 (WildBench's), 0–10 or without a scale; some with fractions (exact sums).
        int scale = r.nextInt(5);
        Double scoreMin = !score ? null : scale == 0 ? null : scale <= 2 ? 1.0 : 0.0;
        Double scoreMax = scoreMin == null ? null : 10.0;
        Double value = !score ? null : r.nextBoolean() ? (double) r.nextInt(11) : r.nextInt(31) / 3.0;
        // Choice verdicts say where the correct choice was shown (A–D), older ones and other items do not.
        Integer position = score || r.nextInt(3) == 0 ? null : r.nextInt(4);
        return new Slot(
                "id" + Long.toHexString(r.nextLong() & 0xffff),
                1 + r.nextInt(2),
                r.nextBoolean(),
                category,
                r.nextInt(8) == 0,
                item,
                p[2],
                score ? JudgmentKind.SCORE : JudgmentKind.CORRECT,
                p[3].equals("v0") ? null : p[3],
                p[4],
                value,
                score ? null : (r.nextInt(50) == 0 ? PairwiseOutcome.TIE : null),
                null,
                100,
                null,
                r.nextInt(5) == 0,
                null,
                AS_OF.minusSeconds(86_400),
                judgedAt,
                "req",
                null,
                scoreMin,
                scoreMax,
                categories,
                p[5],
                null,
                null,
                null,
                position,
                p[4].equals("human"),
                null);
    }

    /** A score on 1..10 ({@code null}: unparseable, without a scale) for the slot under {@code key}. */
    private static Slot score(String key, Double value, Instant judgedAt) {
        String[] p = key.split("\\|");
        return new Slot(
                "id-" + p[3],
                1,
                false,
                null,
                value == null,
                p[1],
                p[2],
                JudgmentKind.SCORE,
                null,
                p[4],
                value,
                null,
                null,
                100,
                null,
                false,
                null,
                AS_OF.minusSeconds(86_400),
                judgedAt,
                "req",
                null,
                value == null ? null : 1.0,
                value == null ? null : 10.0,
                List.of("a"),
                p[5],
                null,
                null,
                null);
    }

    private static Leaderboards.Context context(SplittableRandom r) {
        // m2 follows m1 (a regression pair) in some runs; m3 names a predecessor that has no verdicts.
        String previous = r.nextBoolean() ? "m1" : null;
        Map<String, ModelSpec> models = Map.of(
                "m1",
                        new ModelSpec(
                                "m1",
                                null,
                                Provider.SIM,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null),
                "m2",
                        new ModelSpec(
                                "m2",
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
                                null),
                "m3",
                        new ModelSpec(
                                "m3",
                                null,
                                Provider.OPENAI,
                                null,
                                null,
                                null,
                                null,
                                null,
                                "m9",
                                null,
                                null,
                                null,
                                null,
                                null));
        BenchmarkSpec spec = null;
        if (r.nextBoolean()) {
            JudgeSpec j2 = new JudgeSpec(
                    "j2", Protocol.REFERENCE, "exact", "1", null, null, null, null, null, null, null, null);
            JudgeSpec j3 = new JudgeSpec(
                    "j3", Protocol.REFERENCE, "exact", "1", null, null, null, null, null, null, null, null);
            Map<String, Double> weights = r.nextBoolean() ? Map.of("a", 2.0, "c", 0.5) : null;
            spec = new BenchmarkSpec(BENCHMARK, null, null, null, null, List.of(j3, j2), weights, null, null);
        }
        Map<String, CallTally> calls = Map.of(
                "m2", new CallTally(3, 2, Map.of("timeout", 2L), null),
                "dead", new CallTally(0, 4, Map.of("connection", 4L), null));
        return new Leaderboards.Context(models, spec, calls);
    }

    static String catchMessage(Runnable r) {
        try {
            r.run();
            return null;
        } catch (UnknownParameterException e) {
            return e.getMessage();
        }
    }
}
