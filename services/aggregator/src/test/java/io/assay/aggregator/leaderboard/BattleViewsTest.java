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
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code bt} and {@code elo} built from {@link BenchmarkTallies} are exactly the slot path's snapshots:
 * randomised pairwise ledgers with several judges and judge versions, baselines, unparseable verdicts,
 * battles against oneself, unparseable verdicts without a baseline, slots without item ids, timestamps that tie or arrive out of
 * ledger order, revisions and slots taken away again; and the same slots folded in two orders give the
 * same bits.
 */
class BattleViewsTest {
    private static final Instant AS_OF = Instant.parse("2026-12-01T00:00:00Z");
    private static final String BENCHMARK = "b";

    private int compared;

    @Test
    void battleViewsFromTalliesAreTheSlotPathsSnapshots() {
        for (long seed = 1; seed <= 16; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            TreeMap<String, Slot> slots = new TreeMap<>();
            BenchmarkTallies tallies = new BenchmarkTallies();
            // Half the runs mostly in ledger order (elo's one-update path), half at random.
            boolean ordered = seed % 2 == 0;
            int writes = 30 + random.nextInt(300);
            for (int w = 0; w < writes; w++) {
                String key = randomKey(random);
                Slot now = random.nextInt(15) == 0 ? null : slot(random, key, ordered ? w : -1);
                Slot old = now == null ? slots.remove(key) : slots.put(key, now);
                Tallying.replace(tallies, key, old, now);
                if (w % 97 == 0 || w == writes - 1) {
                    assertSame(slots, tallies, context(random), seed);
                }
            }
        }
        assertThat(compared).as("views with rows compared").isGreaterThan(100);
    }

    @Test
    void theSameSlotsFoldedInTwoOrdersGiveTheSameBits() {
        for (long seed = 1; seed <= 10; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            TreeMap<String, Slot> slots = new TreeMap<>();
            for (int w = 0; w < 200; w++) {
                String key = randomKey(random);
                slots.put(key, slot(random, key, -1));
            }
            List<String> keys = new ArrayList<>(slots.keySet());
            BenchmarkTallies forward = new BenchmarkTallies();
            keys.forEach(k -> Tallying.replace(forward, k, null, slots.get(k)));
            // The other: shuffled, and each slot first written with another verdict, then revised.
            Collections.shuffle(keys, new java.util.Random(seed));
            BenchmarkTallies shuffled = new BenchmarkTallies();
            for (String k : keys) {
                Slot first = slot(random, k, -1);
                Tallying.replace(shuffled, k, null, first);
                Tallying.replace(shuffled, k, first, slots.get(k));
            }
            Leaderboards.Context ctx = new Leaderboards.Context(Map.of(), null);
            for (ViewQuery q : List.of(ViewQuery.of(View.BT), ViewQuery.of(View.ELO), bt("m1", 5))) {
                LeaderboardSnapshot a = TalliedViews.build(BENCHMARK, forward, Tallying.stored(forward), ctx, q, AS_OF)
                        .orElseThrow();
                LeaderboardSnapshot b = TalliedViews.build(
                                BENCHMARK, shuffled, Tallying.stored(shuffled), ctx, q, AS_OF)
                        .orElseThrow();
                assertThat(a.rows()).as("seed %d, %s", seed, q).isNotEmpty();
                assertThat(Json.canonical(b)).as("seed %d, %s", seed, q).isEqualTo(Json.canonical(a));
            }
        }
    }

    @Test
    void anUnknownJudgeIsRefusedAndABaselineAskedForUsesTheSlots() {
        BenchmarkTallies tallies = new BenchmarkTallies();
        TreeMap<String, Slot> slots = new TreeMap<>();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 50; i++) {
            String key = randomKey(random);
            Slot s = slot(random, key, -1);
            Tallying.replace(tallies, key, slots.put(key, s), s);
        }
        Leaderboards.Context ctx = new Leaderboards.Context(Map.of(), null);
        ViewQuery q = new ViewQuery(View.BT, null, null, null, null, null, false, 100, "nobody");
        assertThatThrownBy(() -> TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), ctx, q, AS_OF))
                .isInstanceOf(UnknownParameterException.class)
                .hasMessage(
                        catchMessage(() -> Leaderboards.build(BENCHMARK, List.copyOf(slots.values()), ctx, q, AS_OF)));
        assertThat(TalliedViews.answers(tallies, ViewQuery.of(View.ELO))).isTrue();
        assertThat(TalliedViews.answers(tallies, new ViewQuery(View.BT, null, null, "b0", null, null, false, 100)))
                .isFalse();
    }

    @Test
    void eloFromShortTailsIsTheSlotPathsUntilABattleOlderThanTheTailsArrives() {
        // Given tails of 1 + 2 × 64 verdicts per judge version and partition
        BenchmarkTallies tallies = new BenchmarkTallies(1);
        TreeMap<String, Slot> slots = new TreeMap<>();
        SplittableRandom random = new SplittableRandom(5);
        Leaderboards.Context ctx = new Leaderboards.Context(Map.of(), null);
        List<ViewQuery> queries = List.of(ViewQuery.of(View.ELO), elo(5), bt(null, 5));

        // When 1,000 verdicts of one judge arrive over 3 partitions, a tenth of them 50 places late
        for (int at = 0; at < 1000; at++) {
            String key =
                    String.join(Fold.SEPARATOR, BENCHMARK, "q" + at, "m" + random.nextInt(6), "v0", "j1", "1", "b0");
            write(tallies, slots, key, slot(random, key, at));
        }

        // Then elo and its stability tau are the slot path's
        for (ViewQuery q : queries) {
            assertThat(TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), ctx, q, AS_OF))
                    .as("%s", q)
                    .contains(Leaderboards.build(BENCHMARK, List.copyOf(slots.values()), ctx, q, AS_OF));
        }

        // When a battle judged before every verdict the tails hold arrives (a late import)
        String late = String.join(Fold.SEPARATOR, BENCHMARK, "late", "m1", "v0", "j1", "1", "b0");
        Slot battle;
        do {
            battle = slot(random, late, 0);
        } while (!BattleTally.battle(battle));
        write(tallies, slots, late, battle);

        // Then elo is left to the slot path; bt, which does not depend on the order, is still answered
        assertThat(TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), ctx, ViewQuery.of(View.ELO), AS_OF))
                .isEmpty();
        assertThat(TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), ctx, elo(5), AS_OF))
                .isEmpty();
        assertThat(TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), ctx, bt(null, 5), AS_OF))
                .contains(Leaderboards.build(BENCHMARK, List.copyOf(slots.values()), ctx, bt(null, 5), AS_OF));
    }

    /** The slot under {@code key} becomes {@code now}, tallied in its partition of 3. */
    private static void write(BenchmarkTallies tallies, TreeMap<String, Slot> slots, String key, Slot now) {
        tallies.replace(
                Math.floorMod(key.hashCode(), 3), key, slots.put(key, now), now, BenchmarkTallies.others(slots, key));
    }

    private static ViewQuery elo(int lag) {
        return new ViewQuery(View.ELO, null, null, null, null, null, false, lag);
    }

    private static ViewQuery bt(String anchor, int lag) {
        return new ViewQuery(View.BT, null, null, null, anchor, null, false, lag);
    }

    private void assertSame(
            TreeMap<String, Slot> slots, BenchmarkTallies tallies, Leaderboards.Context ctx, long seed) {
        List<Slot> ordered = List.copyOf(slots.values());
        List<ViewQuery> queries = new ArrayList<>();
        for (int lag : new int[] {0, 1, 5, 40}) {
            for (String judge : new String[] {null, "j1", "j2", "human"}) {
                queries.add(new ViewQuery(View.ELO, null, null, null, null, null, false, lag, judge));
                for (String anchor : new String[] {null, "b0", "m1"}) {
                    queries.add(new ViewQuery(View.BT, null, null, null, anchor, null, false, lag, judge));
                }
            }
        }
        for (ViewQuery q : queries) {
            assertThat(TalliedViews.answers(tallies, q)).isTrue();
            String refused = catchMessage(() -> Leaderboards.build(BENCHMARK, ordered, ctx, q, AS_OF));
            if (refused != null) {
                assertThatThrownBy(
                                () -> TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), ctx, q, AS_OF))
                        .as("seed %d, %s", seed, q)
                        .isInstanceOf(UnknownParameterException.class)
                        .hasMessage(refused);
                continue;
            }
            LeaderboardSnapshot expected = Leaderboards.build(BENCHMARK, ordered, ctx, q, AS_OF);
            LeaderboardSnapshot actual = TalliedViews.build(BENCHMARK, tallies, Tallying.stored(tallies), ctx, q, AS_OF)
                    .orElseThrow();
            assertThat(actual).as("seed %d, %s", seed, q).isEqualTo(expected);
            assertThat(Json.canonical(actual)).as("seed %d, %s", seed, q).isEqualTo(Json.canonical(expected));
            if (!actual.rows().isEmpty()) {
                compared++;
            }
        }
    }

    private static String randomKey(SplittableRandom r) {
        String item = r.nextInt(25) == 0 ? "~" + r.nextInt(3) : "q" + r.nextInt(20);
        String model = "m" + r.nextInt(6);
        String variant = "v" + r.nextInt(r.nextInt(3) + 1);
        // A human's labels among the judges: never the default while a model judged.
        String judge = r.nextInt(8) == 0 ? "human" : "j" + (1 + r.nextInt(2));
        String version = r.nextInt(5) == 0 ? "2" : "1";
        String baseline = "b" + r.nextInt(2);
        return String.join(Fold.SEPARATOR, BENCHMARK, item, model, variant, judge, version, baseline);
    }

    /**
     * A pairwise verdict for the slot under {@code key}; judged at second {@code at} of the ledger (in
     * order), or at random when {@code at} is negative.
     */
    private static Slot slot(SplittableRandom r, String key, int at) {
        String[] p = key.split("\\|");
        String item = p[1].startsWith("~") ? null : p[1];
        boolean unparseable = r.nextInt(10) == 0;
        // Null only when unparseable: the judgment schema requires a parsed pairwise verdict's baselineModel
        // (the aggregator dead-letters one without it), while an unparseable one may carry no pairwise block.
        String baseline = switch (r.nextInt(12)) {
            case 0 -> unparseable ? null : p[6];
            case 1 -> p[2]; // against itself: no battle
            case 2 -> "m" + r.nextInt(6); // another model as the baseline
            default -> p[6];
        };
        PairwiseOutcome outcome = PairwiseOutcome.values()[r.nextInt(PairwiseOutcome.values().length)];
        Instant judgedAt = at >= 0
                ? AS_OF.minusSeconds(100_000 - at - (r.nextInt(10) == 0 ? 50 : 0))
                : r.nextInt(30) == 0 ? null : AS_OF.minusSeconds(r.nextInt(40));
        return new Slot(
                "id" + Long.toHexString(r.nextLong() & 0xffff),
                1 + r.nextInt(2),
                false,
                null,
                unparseable,
                item,
                p[2],
                JudgmentKind.PAIRWISE,
                p[3].equals("v0") ? null : p[3],
                p[4],
                null,
                outcome,
                baseline,
                100,
                90,
                false,
                null,
                AS_OF.minusSeconds(86_400),
                judgedAt,
                "req",
                null,
                null,
                null,
                null,
                p[5],
                null,
                null,
                null,
                null,
                p[4].equals("human"),
                null);
    }

    private static Leaderboards.Context context(SplittableRandom r) {
        BenchmarkSpec spec = null;
        if (r.nextBoolean()) {
            JudgeSpec j2 = new JudgeSpec(
                    "j2", Protocol.PAIRWISE, "exact", "1", null, null, null, null, null, null, null, null);
            spec = new BenchmarkSpec(BENCHMARK, null, null, null, null, List.of(j2), null, null, null);
        }
        Map<String, CallTally> calls = Map.of(
                "m2", new CallTally(3, 2, Map.of("timeout", 2L), null),
                "dead", new CallTally(0, 4, Map.of("connection", 4L), null));
        return new Leaderboards.Context(Map.of(), spec, calls);
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
