package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.Json;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.PairwiseOutcome;
import io.assay.contracts.Protocol;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code winrate} and {@code wb-reward} from {@link BenchmarkTallies} are exactly the slot path's snapshots
 * over randomised ledgers of preference and pairwise verdicts (several judges, judge versions, baselines
 * declared or not and one without a name, prompt variants, categories, slots without item ids, tied
 * timestamps, revisions and removals), also when the tallies keep only a few verdicts per partition (a
 * view they cannot answer then is left to the slots), and two fold orders give identical snapshots.
 */
class TalliedRewardsTest {
    private static final Instant AS_OF = Instant.parse("2026-12-01T00:00:00Z");
    private static final String BENCHMARK = "b";
    private static final List<View> VIEWS = List.of(View.WINRATE, View.WB_REWARD);

    private final Map<View, Integer> compared = new EnumMap<>(View.class);
    /** How many wb-reward views needed the slots (another K). */
    private final int[] onSlots = new int[1];
    /** How many views tallies with a tiny tail left to the slots, and how many with a tau they answered. */
    private final int[] tinyTail = new int[2];

    @Test
    void rewardsFromTalliesAreTheSlotPathsSnapshots() {
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
        assertThat(compared.get(View.WINRATE)).as("winrate views with rows").isGreaterThan(100);
        assertThat(compared.get(View.WB_REWARD)).as("wb-reward views with rows").isGreaterThan(100);
        assertThat(onSlots[0]).as("wb-reward views under another K").isPositive();
    }

    @Test
    void talliesThatKeepAFewVerdictsPerPartitionAnswerOrLeaveTheViewToTheSlots() {
        for (long seed = 1; seed <= 40; seed++) {
            // Given: tallies that keep 2 or 6 verdicts per judge version and partition, items over 3 partitions
            SplittableRandom random = new SplittableRandom(seed);
            TreeMap<String, Slot> slots = new TreeMap<>();
            BenchmarkTallies tallies = new BenchmarkTallies(seed % 2 == 0 ? 2 : 6);
            int writes = 50 + random.nextInt(400);
            for (int w = 0; w < writes; w++) {
                String key = randomKey(random);
                Slot now = random.nextInt(20) == 0 ? null : slot(random, key);
                Slot old = now == null ? slots.remove(key) : slots.put(key, now);
                Tallying.replace(tallies, Math.floorMod(key.split("\\|")[1].hashCode(), 3), key, old, now);
                if (w % 47 == 0 || w == writes - 1) {
                    // Then: what they answer is the slot path's snapshot
                    assertSame(slots, tallies, context(random), seed, true);
                }
            }
        }
        assertThat(tinyTail[0]).as("views left to the slots").isPositive();
        assertThat(tinyTail[1]).as("views with a tau from the tails").isGreaterThan(100);
    }

    @Test
    void aPartitionThatKeepsNoneOfItsVerdictsLeavesTheViewToTheSlots() {
        for (View view : VIEWS) {
            // Given: tallies that keep one verdict per partition; a second, earlier verdict is not kept
            BenchmarkTallies tallies = new BenchmarkTallies(1);
            SplittableRandom random = new SplittableRandom(3);
            String kind = view == View.WINRATE ? "preference" : "pairwise";
            String first = String.join(Fold.SEPARATOR, BENCHMARK, "q1", "m1", "v1", "j1", "1", kind, "base");
            String second = String.join(Fold.SEPARATOR, BENCHMARK, "q2", "m1", "v1", "j1", "1", kind, "base");
            Slot later = at(slot(random, first), AS_OF);
            Tallying.replace(tallies, first, null, later);
            Tallying.replace(tallies, second, null, at(slot(random, second), AS_OF.minusSeconds(60)));
            ViewQuery q = new ViewQuery(view, null, null, null, null, null, false, 0);
            Leaderboards.Context ctx = new Leaderboards.Context(Map.of(), null);
            assertThat(TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), ctx, q, AS_OF))
                    .isPresent();

            // When: the kept one is taken away, the partition keeps none of its verdicts
            Tallying.replace(tallies, first, later, null);

            // Then: its latest (the judge's current version) is the slots' to say
            assertThat(TalliedViews.answers(tallies, q)).isTrue();
            assertThat(TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), ctx, q, AS_OF))
                    .isEmpty();
        }
    }

    /** {@code s} judged at {@code judgedAt}, parsed. */
    private static Slot at(Slot s, Instant judgedAt) {
        return new Slot(
                s.judgmentId(),
                s.revision(),
                false,
                s.category(),
                false,
                s.itemId(),
                s.modelId(),
                s.kind(),
                null,
                s.judgeId(),
                null,
                s.outcome(),
                s.baseline(),
                100,
                100,
                false,
                s.preference(),
                s.publishedAt(),
                judgedAt,
                "req",
                null,
                null,
                null,
                s.categories(),
                s.judgeVersion(),
                null,
                null,
                null);
    }

    @Test
    void twoFoldOrdersGiveIdenticalSnapshots() {
        SplittableRandom random = new SplittableRandom(5);
        Map<String, Slot> slots = new TreeMap<>();
        for (int i = 0; i < 800; i++) {
            String key = randomKey(random);
            slots.put(key, slot(random, key));
        }
        List<String> keys = new ArrayList<>(slots.keySet());
        BenchmarkTallies inOrder = new BenchmarkTallies();
        keys.forEach(k -> Tallying.replace(inOrder, k, null, slots.get(k)));
        Collections.shuffle(keys, new java.util.Random(9));
        BenchmarkTallies shuffled = new BenchmarkTallies();
        keys.forEach(k -> Tallying.replace(shuffled, k, null, slots.get(k)));
        Leaderboards.Context ctx = new Leaderboards.Context(Map.of(), null);
        for (View v : VIEWS) {
            for (int lag : new int[] {0, 7}) {
                ViewQuery q = new ViewQuery(v, null, null, null, null, null, false, lag);
                if (TalliedViews.answers(inOrder, q)) {
                    assertThat(Json.canonical(
                                    TalliedViews.build(BENCHMARK, shuffled, Tallying.stored(shuffled), ctx, q, AS_OF)
                                            .orElseThrow()))
                            .isEqualTo(Json.canonical(
                                    TalliedViews.build(BENCHMARK, inOrder, Tallying.stored(inOrder), ctx, q, AS_OF)
                                            .orElseThrow()));
                }
            }
        }
    }

    @Test
    void anUnknownBaselineIsRefusedAsTheSlotPathRefusesIt() {
        TreeMap<String, Slot> slots = new TreeMap<>();
        BenchmarkTallies tallies = new BenchmarkTallies();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 50; i++) {
            String key = randomKey(random);
            Slot s = slot(random, key);
            Tallying.replace(tallies, key, slots.put(key, s), s);
        }
        Leaderboards.Context ctx = new Leaderboards.Context(Map.of(), null);
        ViewQuery q = new ViewQuery(View.WINRATE, null, null, "nobody", null, null, false, 100);
        assertThatThrownBy(() -> TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), ctx, q, AS_OF))
                .isInstanceOf(UnknownParameterException.class)
                .hasMessage(
                        catchMessage(() -> Leaderboards.build(BENCHMARK, List.copyOf(slots.values()), ctx, q, AS_OF)));
    }

    /** Asserts the tallied views are the slot path's; with a {@code tiny} tail they may be left to the slots. */
    private void assertSame(
            TreeMap<String, Slot> slots, BenchmarkTallies tallies, Leaderboards.Context ctx, long seed, boolean tiny) {
        List<Slot> ordered = List.copyOf(slots.values());
        List<ViewQuery> queries = new ArrayList<>();
        for (View v : VIEWS) {
            for (int lag : new int[] {0, 1, 5, 40}) {
                for (String judge : new String[] {null, "j1", "j2", "human"}) {
                    for (String baseline : new String[] {null, "base", "alt", "nobody"}) {
                        queries.add(new ViewQuery(v, null, null, baseline, null, null, false, lag, judge));
                    }
                }
            }
        }
        for (ViewQuery q : queries) {
            if (!TalliedViews.answers(tallies, q)) {
                assertThat(TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), ctx, q, AS_OF))
                        .isEmpty();
                continue;
            }
            String refused = catchMessage(() -> Leaderboards.build(BENCHMARK, ordered, ctx, q, AS_OF));
            if (refused != null) {
                // Refused as the slot path refuses it, or (a tiny tail) left to the slot path, which refuses it.
                String tallied = catchMessage(
                        () -> TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), ctx, q, AS_OF)
                                .ifPresent(x -> {
                                    throw new AssertionError("answered what the slots refuse: " + q);
                                }));
                if (tallied == null && tiny) {
                    tinyTail[0]++;
                    continue;
                }
                assertThat(tallied).as("seed %d, %s", seed, q).isEqualTo(refused);
                continue;
            }
            LeaderboardSnapshot expected = Leaderboards.build(BENCHMARK, ordered, ctx, q, AS_OF);
            var tallied = TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), ctx, q, AS_OF);
            if (tallied.isEmpty() && tiny) {
                tinyTail[0]++;
                continue;
            }
            if (tallied.isEmpty()) {
                // Only a wb-reward under another length penalty (j1's 300) needs the slots.
                assertThat(q.view()).isEqualTo(View.WB_REWARD);
                assertThat(expected.params().get("K")).isEqualTo(300);
                onSlots[0]++;
                continue;
            }
            LeaderboardSnapshot actual = tallied.orElseThrow();
            assertThat(actual).as("seed %d, %s", seed, q).isEqualTo(expected);
            assertThat(Json.canonical(actual)).as("seed %d, %s", seed, q).isEqualTo(Json.canonical(expected));
            if (!actual.rows().isEmpty()) {
                compared.merge(q.view(), 1, Integer::sum);
            }
            if (tiny && actual.kendallTau() != null) {
                tinyTail[1]++;
            }
        }
        assertThat(tallies.slots()).isEqualTo(slots.size());
    }

    static String randomKey(SplittableRandom r) {
        String kind = r.nextBoolean() ? "preference" : "pairwise";
        String item = r.nextInt(25) == 0 ? "~" + r.nextInt(3) : "q" + r.nextInt(30);
        String model = "m" + r.nextInt(6);
        String variant = "v" + r.nextInt(r.nextInt(4) + 1);
        // A human's labels among the judges: never the default while a model judged.
        String judge = r.nextInt(8) == 0 ? "human" : "j" + (1 + r.nextInt(2));
        String version = r.nextInt(4) == 0 ? "2" : "1";
        // A preference verdict may name no baseline; a pairwise one always does.
        String baseline = List.of("base", "alt", "alt", "-").get(r.nextInt(kind.equals("pairwise") ? 3 : 4));
        return String.join(Fold.SEPARATOR, BENCHMARK, item, model, variant, judge, version, kind, baseline);
    }

    /** A verdict for the slot under {@code key}: the key's parts, the rest drawn at random. */
    static Slot slot(SplittableRandom r, String key) {
        String[] p = key.split("\\|");
        String item = p[1].startsWith("~") ? null : p[1];
        boolean preference = p[6].equals("preference");
        String baseline = p[7].equals("-") ? null : p[7];
        List<String> categories = switch (r.nextInt(5)) {
            case 0 -> null;
            case 1 -> List.of();
            case 2 -> List.of("a", "b");
            default -> List.of(List.of("a", "b", "c").get(r.nextInt(3)));
        };
        String category = categories == null ? (r.nextBoolean() ? null : "c") : null;
        Instant judgedAt = r.nextInt(30) == 0 ? null : AS_OF.minusSeconds(r.nextInt(40));
        Double value = !preference
                ? null
                : switch (r.nextInt(5)) {
                    case 0 -> 0.0;
                    case 1 -> 1.0 + r.nextInt(3) / 2.0;
                    case 2 -> 1.0 + r.nextInt(11) / 10.0;
                    default -> 1.0 + r.nextDouble();
                };
        PairwiseOutcome outcome = preference ? null : PairwiseOutcome.values()[r.nextInt(5)];
        Integer answerChars = r.nextInt(10) == 0 ? null : 100 + r.nextInt(1200);
        Integer baselineChars = r.nextInt(10) == 0 ? null : 100 + r.nextInt(1200);
        return new Slot(
                "id" + Long.toHexString(r.nextLong() & 0xffff),
                1 + r.nextInt(2),
                false,
                category,
                r.nextInt(8) == 0,
                item,
                p[2],
                preference ? JudgmentKind.PREFERENCE : JudgmentKind.PAIRWISE,
                p[3].equals("v0") ? null : p[3],
                p[4],
                null,
                outcome,
                baseline,
                answerChars,
                baselineChars,
                r.nextInt(10) == 0,
                value,
                AS_OF.minusSeconds(86_400),
                judgedAt,
                "req",
                null,
                null,
                null,
                categories,
                p[5],
                null,
                null,
                null,
                null,
                p[4].equals("human"),
                null);
    }

    static Leaderboards.Context context(SplittableRandom r) {
        BenchmarkSpec spec = null;
        switch (r.nextInt(4)) {
            case 0 -> {
                // j2 declares its baselines (alt first), the benchmark none
                JudgeSpec j2 = new JudgeSpec(
                        "j2", Protocol.PAIRWISE, "llm", "1", null, null, List.of("alt", "base"), null, null);
                spec = new BenchmarkSpec(BENCHMARK, null, null, null, null, List.of(j2), null, null, null, null);
            }
            case 1 -> {
                // the benchmark declares base and one without verdicts; j1 has a length penalty of its own
                JudgeSpec j1 = new JudgeSpec("j1", Protocol.PAIRWISE, "llm", "1", null, null, null, 300, null);
                spec = new BenchmarkSpec(
                        BENCHMARK,
                        null,
                        null,
                        null,
                        null,
                        List.of(j1),
                        Map.of("a", 2.0),
                        null,
                        List.of("base", "gone"),
                        null);
            }
            default -> {}
        }
        return new Leaderboards.Context(Map.of(), spec);
    }

    private static String catchMessage(Runnable r) {
        try {
            r.run();
            return null;
        } catch (UnknownParameterException e) {
            return e.getMessage();
        }
    }
}
