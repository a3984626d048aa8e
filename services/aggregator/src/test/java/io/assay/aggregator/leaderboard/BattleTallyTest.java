package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.aggregator.leaderboard.BenchmarkTallies.Entry;
import io.assay.aggregator.stats.OnlineElo;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.PairwiseOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Elo kept battle by battle with checkpoints every 2 or 3 battles, over tails of a few verdicts per partition
 * or of all of them, equals Elo replayed from the start, bit for bit, and so does the stability tau's
 * earlier ranking: after in-order, interleaved and revised battles, read after every write or rarely (the
 * replay before the tails drop what it needs); a battle or revision older than the tails is not answered
 * until the tails hold the whole ledger again.
 */
class BattleTallyTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void eloFromCheckpointsIsEloReplayedFromTheStart() {
        for (long seed = 1; seed <= 30; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            Ledger ledger = new Ledger(new BattleTally(false, Integer.MAX_VALUE, 3), 3);
            for (int w = 0; w < 120; w++) {
                // mostly in ledger order (the one-update path), sometimes late, revised or removed
                String key = r.nextInt(4) == 0 && !ledger.slots.isEmpty()
                        ? pick(r, ledger.slots)
                        : String.format("k%04d", w);
                Instant at = T0.plusSeconds(w - (r.nextInt(6) == 0 ? r.nextInt(30) : 0));
                ledger.put(key, r.nextInt(12) == 0 ? null : slot(r, at));
                if (r.nextInt(5) == 0 || w == 119) {
                    ledger.assertAnswered("seed " + seed + ", write " + w, 1, 2, 5, 17);
                    BattleTally fresh = BattleTally.of(List.copyOf(ledger.slots.values()), false);
                    assertThat(fresh.elo()).isEqualTo(replay(ledger.slots, 0));
                }
            }
        }
    }

    @Test
    void tinyTailsAnswerInterleavedAndRecentlyRevisedBattlesExactly() {
        for (long seed = 1; seed <= 40; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            // 8 verdicts per partition: a tail of 4, two checkpoints of 2 battles (BattleTally.capacity)
            Ledger ledger = new Ledger(new BattleTally(false, 8, 2), 3);
            // in ledger order, or each battle up to 3 places late (partitions interleaved)
            int jitter = seed % 4 == 0 ? 0 : 3;
            // read after every write, or rarely: stale ratings must replay before the tails drop their battles
            int readEvery = seed % 2 == 0 ? 1 : 61;
            List<String> delivered = new ArrayList<>();
            int w = 0;
            for (int at : arrivals(r, 400, jitter)) {
                String key = String.format("k%04d", at);
                ledger.put(key, slot(r, T0.plusSeconds(at)));
                delivered.add(key);
                if (r.nextInt(20) == 0) {
                    // a revision of one of the last few battles, judged now
                    String revised = delivered.get(delivered.size() - 1 - r.nextInt(Math.min(3, delivered.size())));
                    ledger.put(revised, slot(r, T0.plusSeconds(at)));
                }
                // checkpoints only where the tails' 3 × 8 verdicts can replay from, one of 2 battles each
                assertThat(ledger.tally.checkpoints()).isLessThanOrEqualTo(3 * 8 / 2 + 1);
                if (++w % readEvery == 0) {
                    ledger.assertAnswered("seed " + seed + ", write " + w, 1, 2);
                }
            }
            ledger.assertAnswered("seed " + seed + ", last write", 1, 2);
        }
    }

    @Test
    void aBattleOlderThanTheTailsIsNotAnsweredUntilTheTailsHoldTheWholeLedgerAgain() {
        SplittableRandom r = new SplittableRandom(7);
        Ledger ledger = inOrder(r);
        ledger.assertAnswered("in order", 1, 2);

        // Given a late import: a battle judged before every one the tails hold
        ledger.put("late", battle(r, T0.minusSeconds(1)));

        // Then elo and its tau are not answered, bt's counts still are
        assertThat(ledger.tally.elo()).isNull();
        assertThat(ledger.tally.eloWithoutLatest(1)).isNull();
        assertThat(ledger.tally.countsWithoutLatest(1)).isNotNull();
        ledger.put(String.format("k%04d", 60), battle(r, T0.plusSeconds(60)));
        assertThat(ledger.tally.elo()).isNull();

        // When every battle the tails do not keep is taken away, they hold the whole ledger: answered again
        List<String> keys = new ArrayList<>(ledger.slots.keySet());
        keys.sort(Comparator.comparing(k -> ledger.slots.get(k), Leaderboards.LEDGER));
        keys.subList(0, keys.size() - 4).forEach(k -> ledger.put(k, null));
        ledger.assertAnswered("the tails whole", 1, 2);
    }

    @Test
    void aRevisionOlderThanTheTailsIsNotAnswered() {
        SplittableRandom r = new SplittableRandom(11);
        Ledger ledger = inOrder(r);
        ledger.put("k0057", battle(r, T0.plusSeconds(61)));
        ledger.assertAnswered("a recent battle revised", 1, 2);

        ledger.put("k0003", battle(r, T0.plusSeconds(62)));

        assertThat(ledger.tally.elo()).isNull();
    }

    /** Tails of 4 verdicts in 2 partitions, a checkpoint every 2 battles, given 60 battles in ledger order. */
    private static Ledger inOrder(SplittableRandom r) {
        Ledger ledger = new Ledger(new BattleTally(false, 4, 2), 2);
        for (int at = 0; at < 60; at++) {
            ledger.put(String.format("k%04d", at), battle(r, T0.plusSeconds(at)));
        }
        return ledger;
    }

    /** A tally under test and the slots given to it, each key always written to the same partition. */
    private static final class Ledger {
        final BattleTally tally;
        final int partitions;
        final TreeMap<String, Slot> slots = new TreeMap<>();

        Ledger(BattleTally tally, int partitions) {
            this.tally = tally;
            this.partitions = partitions;
        }

        /** The slot under {@code key} becomes {@code now} ({@code null}: taken away). */
        void put(String key, Slot now) {
            int partition = Math.floorMod(key.hashCode(), partitions);
            Slot old = now == null ? slots.remove(key) : slots.put(key, now);
            if (old != null) {
                tally.add(partition, new Entry(key, old), -1);
            }
            if (now != null) {
                tally.add(partition, new Entry(key, now), 1);
            }
        }

        /** Elo, and the tau's earlier elo for each of {@code lags}, are answered and are the replay from the start. */
        void assertAnswered(String as, int... lags) {
            assertThat(tally.elo()).as(as).isEqualTo(replay(slots, 0));
            for (int lag : lags) {
                if (slots.size() > lag) {
                    assertThat(tally.eloWithoutLatest(lag))
                            .as("%s, lag %d", as, lag)
                            .isEqualTo(replay(slots, lag));
                }
            }
        }
    }

    /** The ledger positions 0 … n−1 in arrival order: each up to {@code jitter} places late. */
    private static List<Integer> arrivals(SplittableRandom r, int n, int jitter) {
        List<int[]> order = new ArrayList<>();
        for (int at = 0; at < n; at++) {
            order.add(new int[] {at + r.nextInt(jitter + 1), at});
        }
        order.sort(Comparator.<int[]>comparingInt(x -> x[0]).thenComparingInt(x -> x[1]));
        return order.stream().map(x -> x[1]).toList();
    }

    private static String pick(SplittableRandom r, TreeMap<String, Slot> slots) {
        List<String> keys = new ArrayList<>(slots.keySet());
        return keys.get(r.nextInt(keys.size()));
    }

    /** Online Elo from the start over the slots in ledger order without the {@code lag} latest. */
    private static Map<String, Double> replay(TreeMap<String, Slot> slots, int lag) {
        List<Entry> ordered = new ArrayList<>();
        slots.forEach((k, s) -> ordered.add(new Entry(k, s)));
        ordered.sort(BenchmarkTallies.LEDGER_THEN_KEY);
        Map<String, Double> r = new TreeMap<>();
        for (Entry e : ordered.subList(0, ordered.size() - lag)) {
            if (BattleTally.battle(e.slot())) {
                OnlineElo.update(r, e.slot().modelId(), e.slot().baseline(), BattleTally.score(e.slot()));
            }
        }
        return r;
    }

    /** A pairwise verdict judged {@code at}: sometimes unparseable or against the model itself (no battle). */
    private static Slot slot(SplittableRandom r, Instant at) {
        String model = "m" + r.nextInt(5);
        return slot(r, at, model, r.nextInt(10) == 0 ? model : "b" + r.nextInt(2), r.nextInt(15) == 0);
    }

    /** A battle judged {@code at}. */
    private static Slot battle(SplittableRandom r, Instant at) {
        return slot(r, at, "m" + r.nextInt(5), "b" + r.nextInt(2), false);
    }

    private static Slot slot(SplittableRandom r, Instant at, String model, String baseline, boolean unparseable) {
        PairwiseOutcome outcome = PairwiseOutcome.values()[r.nextInt(PairwiseOutcome.values().length)];
        return new Slot(
                "id" + r.nextInt(1000),
                1,
                false,
                null,
                unparseable,
                "q" + r.nextInt(20),
                model,
                JudgmentKind.PAIRWISE,
                null,
                "judge",
                null,
                outcome,
                baseline,
                100,
                90,
                false,
                null,
                T0,
                at,
                "req",
                null,
                null,
                null,
                null,
                "1",
                null,
                null,
                null,
                null,
                null,
                null);
    }
}
