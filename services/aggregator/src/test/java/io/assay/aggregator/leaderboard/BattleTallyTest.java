package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.aggregator.leaderboard.BenchmarkTallies.Entry;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.PairwiseOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Elo kept battle by battle with checkpoints every 3 battles equals Elo replayed from the start, bit for
 * bit, after in-order battles, out-of-order ones, revisions and removals; and so does the stability tau's
 * earlier ranking for every lag.
 */
class BattleTallyTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void eloFromCheckpointsIsEloReplayedFromTheStart() {
        for (long seed = 1; seed <= 30; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            BattleTally kept = new BattleTally(false, 3);
            TreeMap<String, Slot> slots = new TreeMap<>();
            for (int w = 0; w < 120; w++) {
                // mostly in ledger order (the one-update path), sometimes late, revised or removed
                String key = r.nextInt(4) == 0 && !slots.isEmpty() ? pick(r, slots) : String.format("k%04d", w);
                Slot old = slots.get(key);
                Slot now = r.nextInt(12) == 0 ? null : slot(r, w);
                if (old != null) {
                    kept.add(new Entry(key, old), -1);
                    slots.remove(key);
                }
                if (now != null) {
                    kept.add(new Entry(key, now), 1);
                    slots.put(key, now);
                }
                if (r.nextInt(5) == 0 || w == 119) {
                    BattleTally fresh = new BattleTally(false, Integer.MAX_VALUE);
                    slots.forEach((k, s) -> fresh.add(new Entry(k, s), 1));
                    assertThat(kept.elo()).as("seed %d, write %d", seed, w).isEqualTo(replay(slots, 0));
                    assertThat(fresh.elo()).isEqualTo(replay(slots, 0));
                    for (int lag : new int[] {1, 2, 5, 17}) {
                        if (slots.size() > lag) {
                            assertThat(kept.eloWithoutLatest(lag))
                                    .as("seed %d, write %d, lag %d", seed, w, lag)
                                    .isEqualTo(replay(slots, lag));
                        }
                    }
                }
            }
        }
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
                io.assay.aggregator.stats.OnlineElo.update(
                        r, e.slot().modelId(), e.slot().baseline(), BattleTally.score(e.slot()));
            }
        }
        return r;
    }

    private static Slot slot(SplittableRandom r, int w) {
        // judged at second w, or a little earlier (late), sometimes at a tied time
        Instant at = T0.plusSeconds(w - (r.nextInt(6) == 0 ? r.nextInt(30) : 0));
        PairwiseOutcome outcome = PairwiseOutcome.values()[r.nextInt(PairwiseOutcome.values().length)];
        String model = "m" + r.nextInt(5);
        String baseline = r.nextInt(10) == 0 ? model : "b" + r.nextInt(2);
        return new Slot(
                "id" + r.nextInt(1000),
                1,
                false,
                null,
                r.nextInt(15) == 0,
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
