package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.Json;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Protocol;
import io.assay.contracts.Provider;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code regression} from the tallies ({@link FlipCounts}) is exactly the slot path's snapshot, stability tau
 * included, and is left to the slots exactly where a compared model has two verdicts on a case or its pair is not
 * counted from the first slot: randomised ledgers of reference verdicts with revisions, removals, unparseable
 * verdicts, two judges (and human labels) with two versions, several prompt formats (in some ledgers two variants
 * of one format, or items without an id, which make cases ambiguous), categories, in one or three partitions, and
 * model specs (previous-version chains, a model its own previous version, a previous version without verdicts,
 * unregistered models) declared before the first write or drawn anew between writes (a pair declared after both
 * its models had verdicts, a previous version changed, a pair dropped and declared again), read as the fold saw
 * them or as drawn anew since the last write. Also streamed (post-cutoff, a window) and tallied from a scan, as a
 * restored partition is: every declared pair counted.
 */
class RegressionTalliesTest {
    private static final Instant AS_OF = Instant.parse("2026-12-01T00:00:00Z");
    private static final String BENCHMARK = "b";
    private static final int MODELS = 6;

    private int compared;
    private int taus;
    private int leftToSlots;
    private int streamed;
    private int scanned;
    private int untallied;
    private int comparedAfterAChange;

    @Test
    void regressionFromTalliesIsTheSlotPathsSnapshotOrLeftToItWhereACaseIsAmbiguousOrAPairUntallied() {
        for (long seed = 1; seed <= 80; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            boolean ambiguous = seed % 3 == 0;
            int partitions = seed % 2 == 0 ? 1 : 3;
            TreeMap<String, Slot> slots = new TreeMap<>();
            BenchmarkTallies tallies = new BenchmarkTallies();
            // The registry as the fold sees it, and the pairs counted from their first slot (as the test sees it).
            Leaderboards.Context ctx =
                    random.nextInt(6) == 0 ? new Leaderboards.Context(Map.of(), null) : context(random);
            DeclaredPairs pairs = DeclaredPairs.of(ctx.models());
            Set<DeclaredPairs.Pair> counted = new HashSet<>(pairs.pairs());
            boolean changed = false;
            int writes = 50 + random.nextInt(350);
            for (int w = 0; w < writes; w++) {
                if (random.nextInt(150) == 0) {
                    // The registry changes: the next write applies the new pairs.
                    ctx = context(random);
                    DeclaredPairs next = DeclaredPairs.of(ctx.models());
                    counted = counted(counted, pairs, next, slots);
                    pairs = next;
                    changed = true;
                }
                String key = key(random, ambiguous);
                Slot now = random.nextInt(15) == 0 ? null : slot(random, key);
                Slot old = now == null ? slots.remove(key) : slots.put(key, now);
                Tallying.replace(tallies, partition(key, partitions), key, old, now, pairs);
                if (w % 41 == 0 || w == writes - 1) {
                    int before = compared;
                    assertSame(slots, tallies, ctx, counted, seed);
                    comparedAfterAChange += changed ? compared - before : 0;
                    if (random.nextInt(3) == 0) {
                        // The registry changed after the last write: the tallies have not seen it.
                        assertSame(slots, tallies, context(random), counted, seed);
                    }
                }
            }
            assertScanned(slots, tallies, ctx, counted, partitions, seed);
        }
        assertThat(compared).as("tallied regressions with rows").isGreaterThan(2500);
        assertThat(comparedAfterAChange)
                .as("tallied regressions with rows after a change")
                .isGreaterThan(500);
        assertThat(taus).as("tallied regressions with a tau").isGreaterThan(60);
        assertThat(leftToSlots).as("regressions left to the slots").isGreaterThan(3000);
        assertThat(untallied)
                .as("regressions left to the slots for an untallied pair")
                .isGreaterThan(2000);
        assertThat(streamed).as("streamed regressions with rows").isGreaterThan(500);
        assertThat(scanned).as("regressions tallied from a scan").isGreaterThan(80);
    }

    /**
     * The pairs counted from their first slot once the registry goes from declaring {@code before} to {@code
     * after}: those still declared that were, and the new ones of which a model has no slot in {@code slots}.
     */
    private static Set<DeclaredPairs.Pair> counted(
            Set<DeclaredPairs.Pair> counted, DeclaredPairs before, DeclaredPairs after, TreeMap<String, Slot> slots) {
        Set<String> judged = new HashSet<>();
        slots.values().forEach(s -> judged.add(s.modelId()));
        Set<DeclaredPairs.Pair> out = new HashSet<>();
        for (DeclaredPairs.Pair p : after.pairs()) {
            boolean kept = before.pairs().contains(p) && counted.contains(p);
            boolean fresh =
                    !before.pairs().contains(p) && (!judged.contains(p.lesser()) || !judged.contains(p.greater()));
            if (kept || fresh) {
                out.add(p);
            }
        }
        return out;
    }

    @Test
    void aPairDeclaredAfterBothHadVerdictsIsLeftToTheSlotsUntilTalliedFromAScan() {
        // Given: verdicts of m0 and m1 on 20 items, tallied while no model was registered
        TreeMap<String, Slot> slots = new TreeMap<>();
        BenchmarkTallies tallies = new BenchmarkTallies();
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 40; i++) {
            String key = String.join(Fold.SEPARATOR, BENCHMARK, "q" + i / 2, "m" + i % 2, "v1", "j1", "1");
            Slot s = slot(random, key);
            Tallying.replace(tallies, key, slots.put(key, s), s);
        }
        ViewQuery q = ViewQuery.of(View.REGRESSION);
        Leaderboards.Context none = new Leaderboards.Context(Map.of(), null);
        assertThat(TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), none, q, AS_OF)
                        .orElseThrow()
                        .rows())
                .isEmpty();
        // When: m1 declares m0 its previous version, and m0 gets a verdict on one more item
        Leaderboards.Context declared = new Leaderboards.Context(Map.of("m1", spec("m1", "m0", null)), null);
        DeclaredPairs pairs = DeclaredPairs.of(declared.models());
        String key = String.join(Fold.SEPARATOR, BENCHMARK, "q20", "m0", "v1", "j1", "1");
        Slot s = slot(random, key);
        Tallying.replace(tallies, 0, key, slots.put(key, s), s, pairs);
        // Then: the tallies did not pair their past verdicts: the slots compare them
        LeaderboardSnapshot expected = Leaderboards.build(BENCHMARK, List.copyOf(slots.values()), declared, q, AS_OF);
        assertThat(expected.rows()).hasSize(1);
        assertThat(TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), declared, q, AS_OF))
                .isEmpty();
        // And: tallied from a scan under the pairs declared then (a restart's restore), the pair is compared
        BenchmarkTallies restored = new BenchmarkTallies();
        ItemRuns runs = new ItemRuns(
                1, (k, slot, others, otherModels) -> restored.replace(0, k, null, slot, others, pairs, otherModels));
        slots.forEach(runs::accept);
        runs.finish();
        assertThat(TalliedViews.build(BENCHMARK, restored, ItemSlots.of(slots), declared, q, AS_OF))
                .contains(expected);
    }

    @Test
    void aPairDeclaredBeforeItsNewModelsFirstVerdictIsCompared() {
        // Given: verdicts of m0 on 20 items; m1 declares m0 its previous version before its first verdict
        TreeMap<String, Slot> slots = new TreeMap<>();
        BenchmarkTallies tallies = new BenchmarkTallies();
        SplittableRandom random = new SplittableRandom(7);
        Leaderboards.Context declared = new Leaderboards.Context(Map.of("m1", spec("m1", "m0", null)), null);
        DeclaredPairs pairs = DeclaredPairs.of(declared.models());
        for (int model = 0; model < 2; model++) {
            for (int i = 0; i < 20; i++) {
                String key = String.join(Fold.SEPARATOR, BENCHMARK, "q" + i, "m" + model, "v1", "j1", "1");
                Slot s = slot(random, key);
                Tallying.replace(tallies, i % 3, key, slots.put(key, s), s, model == 0 ? DeclaredPairs.NONE : pairs);
            }
        }
        // Then: the tallies compare them, as the slot path does
        ViewQuery q = ViewQuery.of(View.REGRESSION);
        LeaderboardSnapshot expected = Leaderboards.build(BENCHMARK, List.copyOf(slots.values()), declared, q, AS_OF);
        assertThat(expected.rows()).hasSize(1);
        assertThat(TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), declared, q, AS_OF))
                .contains(expected);
    }

    @Test
    void twoVariantsOfOneFormatLeaveTheModelToTheSlotsUntilOneGoes() {
        // Given: m1 follows m0, both on 10 items; m1 has a second variant of format f1 on item q3
        TreeMap<String, Slot> slots = new TreeMap<>();
        BenchmarkTallies tallies = new BenchmarkTallies();
        SplittableRandom random = new SplittableRandom(9);
        Leaderboards.Context ctx = new Leaderboards.Context(Map.of("m1", spec("m1", "m0", null)), null);
        DeclaredPairs pairs = DeclaredPairs.of(ctx.models());
        for (int i = 0; i < 20; i++) {
            String key = String.join(Fold.SEPARATOR, BENCHMARK, "q" + i / 2, "m" + i % 2, "v1", "j1", "1");
            Slot s = withUnparseable(slot(random, key), false);
            Tallying.replace(tallies, 0, key, slots.put(key, s), s, pairs);
        }
        String second = String.join(Fold.SEPARATOR, BENCHMARK, "q3", "m1", "v1b", "j1", "1");
        Slot s = withUnparseable(slot(random, second), false);
        Tallying.replace(tallies, 0, second, slots.put(second, s), s, pairs);
        ViewQuery q = ViewQuery.of(View.REGRESSION);
        // Then: the slots decide which of the two counts
        assertThat(TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), ctx, q, AS_OF))
                .isEmpty();
        // When: the second variant is taken away again
        Tallying.replace(tallies, 0, second, slots.remove(second), null, pairs);
        // Then: the tallies answer, as the slot path does
        assertThat(TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), ctx, q, AS_OF))
                .contains(Leaderboards.build(BENCHMARK, List.copyOf(slots.values()), ctx, q, AS_OF));
    }

    private void assertSame(
            TreeMap<String, Slot> slots,
            BenchmarkTallies tallies,
            Leaderboards.Context ctx,
            Set<DeclaredPairs.Pair> counted,
            long seed) {
        List<Slot> ordered = List.copyOf(slots.values());
        for (ViewQuery q : queries()) {
            String refused = TalliedViewsTest.catchMessage(() -> Leaderboards.build(BENCHMARK, ordered, ctx, q, AS_OF));
            boolean filtered = q.window() != null || q.restrictToPostCutoff();
            if (refused != null) {
                // A filtered view asks the unfiltered one for its judge (StreamedViews.counted).
                assertThatThrownBy(() -> {
                            if (filtered) {
                                StreamedViews.counted(BENCHMARK, tallies, Tallying.stored(tallies), ctx, q, AS_OF);
                            } else {
                                TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), ctx, q, AS_OF);
                            }
                        })
                        .as("seed %d, %s", seed, q)
                        .isInstanceOf(UnknownParameterException.class)
                        .hasMessage(refused);
                continue;
            }
            LeaderboardSnapshot expected = Leaderboards.build(BENCHMARK, ordered, ctx, q, AS_OF);
            boolean ambiguous = ambiguous(ordered, ctx, expected);
            boolean notCounted = untallied(ordered, ctx, expected, counted);
            if (filtered) {
                assertStreamed(slots, tallies, ctx, q, expected, ambiguous || notCounted, seed);
                continue;
            }
            Optional<LeaderboardSnapshot> tallied =
                    TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), ctx, q, AS_OF);
            assertThat(tallied.isEmpty())
                    .as(
                            "seed %d, %s: left to the slots exactly where a compared model's case is ambiguous or"
                                    + " its pair untallied",
                            seed, q)
                    .isEqualTo(ambiguous || notCounted);
            if (tallied.isEmpty()) {
                leftToSlots++;
                untallied += notCounted && !ambiguous ? 1 : 0;
                continue;
            }
            assertThat(tallied.orElseThrow()).as("seed %d, %s", seed, q).isEqualTo(expected);
            assertThat(Json.canonical(tallied.orElseThrow()))
                    .as("seed %d, %s", seed, q)
                    .isEqualTo(Json.canonical(expected));
            if (!expected.rows().isEmpty()) {
                compared++;
                if (expected.kendallTau() != null) {
                    taus++;
                }
            }
        }
    }

    /**
     * Post-cutoff and window: streamed into fresh tallies (every declared pair counted), unless a compared model's
     * case is ambiguous or its pair untallied in the unfiltered view ({@code leftToSlots}: the judge is chosen there).
     */
    private void assertStreamed(
            TreeMap<String, Slot> slots,
            BenchmarkTallies tallies,
            Leaderboards.Context ctx,
            ViewQuery q,
            LeaderboardSnapshot expected,
            boolean leftToSlots,
            long seed) {
        ItemSlots stored = Tallying.stored(tallies);
        Optional<StreamedViews.Counted> counted = StreamedViews.counted(BENCHMARK, tallies, stored, ctx, q, AS_OF);
        Optional<LeaderboardSnapshot> snapshot = counted.flatMap(
                c -> StreamedViews.build(BENCHMARK, c, ctx, q, AS_OF, slots::forEach, ItemSlots.of(slots)));
        if (!leftToSlots) {
            // The kept slots' compared models are among every slot's, and so are their cases.
            assertThat(snapshot).as("seed %d, %s streamed", seed, q).isPresent();
        }
        if (snapshot.isPresent()) {
            assertThat(Json.canonical(snapshot.orElseThrow()))
                    .as("seed %d, %s", seed, q)
                    .isEqualTo(Json.canonical(expected));
            assertThat(snapshot.orElseThrow()).as("seed %d, %s", seed, q).isEqualTo(expected);
            if (!expected.rows().isEmpty()) {
                streamed++;
            }
        }
    }

    /**
     * The slots tallied in one scan in key order ({@link ItemRuns}, as a restored partition is) give the
     * incremental tallies' views; half the items taken away in a scan give the slot path's over the rest.
     */
    private void assertScanned(
            TreeMap<String, Slot> slots,
            BenchmarkTallies tallies,
            Leaderboards.Context ctx,
            Set<DeclaredPairs.Pair> counted,
            int partitions,
            long seed) {
        BenchmarkTallies fresh = new BenchmarkTallies();
        DeclaredPairs pairs = DeclaredPairs.of(ctx.models());
        ItemRuns add = new ItemRuns(
                1,
                (key, s, others, otherModels) ->
                        fresh.replace(partition(key, partitions), key, null, s, others, pairs, otherModels));
        slots.forEach(add::accept);
        add.finish();
        for (int lag : new int[] {0, 5}) {
            ViewQuery q = new ViewQuery(View.REGRESSION, null, null, null, null, null, false, lag);
            // Every declared pair counted: the slot path's snapshot unless a case is ambiguous.
            LeaderboardSnapshot expected = Leaderboards.build(BENCHMARK, List.copyOf(slots.values()), ctx, q, AS_OF);
            Optional<LeaderboardSnapshot> actual =
                    TalliedViews.build(BENCHMARK, fresh, ItemSlots.of(slots), ctx, q, AS_OF);
            assertThat(actual.isEmpty()).as("seed %d, %s", seed, q).isEqualTo(ambiguous(slots.values(), ctx, expected));
            actual.ifPresent(a -> assertThat(a).as("seed %d, %s", seed, q).isEqualTo(expected));
            Optional<LeaderboardSnapshot> incremental =
                    TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), ctx, q, AS_OF);
            if (incremental.isPresent()) {
                assertThat(actual).as("seed %d, %s", seed, q).isEqualTo(incremental);
            }
        }
        TreeMap<String, Slot> kept = new TreeMap<>();
        ItemRuns takeAway = new ItemRuns(
                -1,
                (key, s, others, otherModels) ->
                        fresh.replace(partition(key, partitions), key, s, null, others, pairs, otherModels));
        slots.forEach((key, s) -> {
            if (Math.floorMod(Fold.itemPrefix(key).hashCode(), 2) == 0) {
                takeAway.accept(key, s);
            } else {
                kept.put(key, s);
            }
        });
        takeAway.finish();
        for (int lag : new int[] {0, 5}) {
            ViewQuery q = new ViewQuery(View.REGRESSION, null, null, null, null, null, false, lag);
            LeaderboardSnapshot expected = Leaderboards.build(BENCHMARK, List.copyOf(kept.values()), ctx, q, AS_OF);
            Optional<LeaderboardSnapshot> actual =
                    TalliedViews.build(BENCHMARK, fresh, ItemSlots.of(kept), ctx, q, AS_OF);
            assertThat(actual.isEmpty()).as("seed %d, %s", seed, q).isEqualTo(ambiguous(kept.values(), ctx, expected));
            if (actual.isPresent()) {
                assertThat(actual.orElseThrow()).as("seed %d, %s", seed, q).isEqualTo(expected);
                scanned += expected.rows().isEmpty() ? 0 : 1;
            }
        }
    }

    /**
     * Whether a model the snapshot's judge version compares (with parsed verdicts, and a declared previous version,
     * another model, with some) makes a pair with it not in {@code counted}.
     */
    private static boolean untallied(
            java.util.Collection<Slot> slots,
            Leaderboards.Context ctx,
            LeaderboardSnapshot snapshot,
            Set<DeclaredPairs.Pair> counted) {
        Object judge = snapshot.params().get("judge");
        Object version = snapshot.params().get("judgeVersion");
        Set<String> parsed = new HashSet<>();
        for (Slot s : slots) {
            if (s.kind() == JudgmentKind.CORRECT
                    && !s.unparseable()
                    && Objects.equals(s.judgeId(), judge)
                    && Objects.equals(s.judgeVersion(), version)) {
                parsed.add(s.modelId());
            }
        }
        for (String model : parsed) {
            ModelSpec spec = ctx.models().get(model);
            String previous = spec == null ? null : spec.previousVersion();
            if (previous != null
                    && !previous.equals(model)
                    && parsed.contains(previous)
                    && !counted.contains(DeclaredPairs.Pair.of(model, previous))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a model the snapshot's judge version compares (with parsed verdicts, and a declared previous version
     * with some) or its previous version has two parsed verdicts on a case, or one without an item id.
     */
    private static boolean ambiguous(
            java.util.Collection<Slot> slots, Leaderboards.Context ctx, LeaderboardSnapshot snapshot) {
        Object judge = snapshot.params().get("judge");
        Object version = snapshot.params().get("judgeVersion");
        Map<String, Map<List<String>, Integer>> cases = new HashMap<>();
        Set<String> withoutItem = new HashSet<>();
        for (Slot s : slots) {
            if (s.kind() != JudgmentKind.CORRECT
                    || s.unparseable()
                    || !Objects.equals(s.judgeId(), judge)
                    || !Objects.equals(s.judgeVersion(), version)) {
                continue;
            }
            if (s.itemId() == null) {
                withoutItem.add(s.modelId());
            }
            cases.computeIfAbsent(s.modelId(), m -> new HashMap<>())
                    .merge(Arrays.asList(s.itemId(), s.format()), 1, Integer::sum);
        }
        for (String model : cases.keySet()) {
            ModelSpec spec = ctx.models().get(model);
            String previous = spec == null ? null : spec.previousVersion();
            if (previous == null || !cases.containsKey(previous)) {
                continue;
            }
            for (String m : List.of(model, previous)) {
                if (withoutItem.contains(m) || cases.get(m).values().stream().anyMatch(n -> n > 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<ViewQuery> queries() {
        List<ViewQuery> out = new ArrayList<>();
        out.add(ViewQuery.of(View.REGRESSION));
        for (int lag : new int[] {0, 1, 5, 40}) {
            for (String judge : new String[] {null, "j1", "j2", "human"}) {
                out.add(new ViewQuery(View.REGRESSION, null, null, null, null, null, false, lag, judge));
            }
        }
        out.add(new ViewQuery(View.REGRESSION, null, null, null, null, null, false, 5, "nobody"));
        for (String judge : new String[] {null, "j2"}) {
            out.add(new ViewQuery(View.REGRESSION, null, null, null, null, null, true, 5, judge));
            out.add(new ViewQuery(View.POST_CUTOFF, View.REGRESSION, null, null, null, null, true, 0, judge));
            out.add(new ViewQuery(View.REGRESSION, null, null, null, null, Duration.ofDays(20), false, 5, judge));
        }
        return out;
    }

    /**
     * A reference slot's key: 40 items (in ambiguous ledgers one key in 40 without an item id), 6 models, variants
     * of formats none, f1 and f2 (in ambiguous ledgers a second variant of f1), judges j1, j2 and a human, two
     * versions.
     */
    private static String key(SplittableRandom r, boolean ambiguous) {
        String item = ambiguous && r.nextInt(40) == 0 ? "~" + r.nextInt(2) : "q" + r.nextInt(40);
        String model = "m" + r.nextInt(MODELS);
        String variant = ambiguous && r.nextInt(6) == 0 ? "v1b" : "v" + r.nextInt(3);
        String judge = r.nextInt(10) == 0 ? "human" : "j" + (1 + r.nextInt(2));
        String version = r.nextInt(4) == 0 ? "2" : "1";
        return String.join(Fold.SEPARATOR, BENCHMARK, item, model, variant, judge, version);
    }

    /** Items spread over {@code partitions} partitions. */
    private static int partition(String key, int partitions) {
        return Math.floorMod(Fold.itemPrefix(key).hashCode(), partitions);
    }

    /**
     * A reference verdict for {@code key}: right with a probability that grows with the model's number (so versions
     * flip both ways), one in eight unparseable, revisions, judgment times that tie, items published over two months.
     */
    private static Slot slot(SplittableRandom r, String key) {
        String[] p = key.split("\\|");
        String item = p[1].startsWith("~") ? null : p[1];
        int model = Integer.parseInt(p[2].substring(1));
        String format = p[3].equals("v0") ? null : p[3].equals("v1b") ? "v1" : p[3];
        List<String> categories = r.nextInt(4) == 0 ? null : List.of(r.nextBoolean() ? "a" : "b");
        return new Slot(
                "id" + Long.toHexString(r.nextLong() & 0xffff),
                1 + r.nextInt(2),
                r.nextDouble() < 0.3 + 0.1 * model,
                categories == null ? "c" : null,
                r.nextInt(8) == 0,
                item,
                p[2],
                JudgmentKind.CORRECT,
                format,
                p[4],
                null,
                null,
                null,
                100,
                null,
                false,
                null,
                r.nextInt(30) == 0 ? null : AS_OF.minus(Duration.ofHours(r.nextInt(60 * 24))),
                r.nextInt(30) == 0 ? null : AS_OF.minusSeconds(r.nextInt(40)),
                "req",
                null,
                null,
                null,
                categories,
                p[5],
                null,
                null,
                null,
                r.nextInt(3) == 0 ? null : r.nextInt(4),
                p[4].equals("human"));
    }

    private static Slot withUnparseable(Slot s, boolean unparseable) {
        return new Slot(
                s.judgmentId(),
                s.revision(),
                s.correct(),
                s.category(),
                unparseable,
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
                s.publishedAt(),
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
     * Model specs drawn before the first write, between writes or when the view is read: each model registered or not, its previous version the model before
     * it (chains), itself, one without verdicts or none; knowledge cutoffs within the two months or none; in some
     * draws a spec that lists j2 first.
     */
    private static Leaderboards.Context context(SplittableRandom r) {
        Map<String, ModelSpec> models = new TreeMap<>();
        for (int i = 0; i < MODELS; i++) {
            if (r.nextInt(6) == 0) {
                continue;
            }
            String previous = switch (r.nextInt(6)) {
                case 0 -> null;
                case 1 -> "m" + i;
                case 2 -> "m9";
                case 3 -> "m" + r.nextInt(MODELS);
                default -> i == 0 ? null : "m" + (i - 1);
            };
            LocalDate cutoff =
                    r.nextInt(4) == 0 ? null : LocalDate.of(2026, 10, 1).plusDays(r.nextInt(60));
            models.put("m" + i, spec("m" + i, previous, cutoff));
        }
        BenchmarkSpec spec = null;
        if (r.nextBoolean()) {
            JudgeSpec j2 = new JudgeSpec(
                    "j2", Protocol.REFERENCE, "exact", "1", null, null, null, null, null, null, null, null);
            spec = new BenchmarkSpec(BENCHMARK, null, null, null, null, List.of(j2), null, null, null);
        }
        Map<String, CallTally> calls = Map.of("m2", new CallTally(3, 2, Map.of("timeout", 2L), null));
        return new Leaderboards.Context(models, spec, calls);
    }

    private static ModelSpec spec(String model, String previous, LocalDate cutoff) {
        return new ModelSpec(
                model, null, Provider.OPENAI, null, null, null, null, cutoff, previous, null, null, null, null, null);
    }
}
