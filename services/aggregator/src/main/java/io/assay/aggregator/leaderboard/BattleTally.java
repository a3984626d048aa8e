package io.assay.aggregator.leaderboard;

import io.assay.aggregator.leaderboard.BenchmarkTallies.Entry;
import io.assay.aggregator.stats.BattleCounts;
import io.assay.aggregator.stats.OnlineElo;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The pairwise verdicts of one judge version kept verdict by verdict, for {@code bt} and {@code elo}
 * ({@link BradleyTerryBuilder} and {@link EloBuilder} over the slots, {@link BenchmarkTallies} over the fold,
 * both add the slots to one of these, so there is one formula):
 *
 * <ul>
 *   <li>the slots in ledger order ({@link BenchmarkTallies#LEDGER_THEN_KEY}: the judge's current version,
 *       the stability tau, elo's replays) and the unparseable verdicts per model;</li>
 *   <li>the battles' {@link BattleCounts}: per pair of models the battles and the score, and the same under
 *       each Poisson bootstrap replicate's item weights, integers that do not depend on the order the
 *       verdicts arrive or go in;</li>
 *   <li>elo's ratings after the battles so far, the last one's ledger entry, and a copy of the ratings
 *       every {@link #CHECKPOINT} battles. Online Elo is order-dependent by definition: a battle that sorts
 *       after the last one is one update; one that arrives out of ledger order, a revised or a removed
 *       verdict drops the checkpoints from it on and marks the ratings stale, and the next read replays the
 *       ledger from the last checkpoint before it (the same {@link OnlineElo#update} in the same order, so
 *       the same bits as a replay from the start). The stability tau's earlier ranking replays from the
 *       last checkpoint before the {@code lag} latest slots.</li>
 * </ul>
 *
 * <p>Not thread-safe.
 */
final class BattleTally {
    /** Battles between two of elo's checkpoints. */
    static final int CHECKPOINT = 4096;

    private final int checkpoint;

    final TreeSet<Entry> ledger = new TreeSet<>(BenchmarkTallies.LEDGER_THEN_KEY);
    /** Per model, its unparseable verdicts. */
    final TreeMap<String, Long> unparseable = new TreeMap<>();

    final BattleCounts counts;
    private final TreeMap<String, Double> elo = new TreeMap<>();
    /**
     * Elo's ratings after the battle of each key, every {@link #CHECKPOINT} battles (by default): a replay, and the
     * stability tau's earlier ranking, start from the last one before where they need to.
     */
    private final TreeMap<Entry, Map<String, Double>> checkpoints = new TreeMap<>(BenchmarkTallies.LEDGER_THEN_KEY);
    /** The battle elo's ratings last took in, {@code null} for none. */
    private Entry last;
    /** Battles taken in since the last checkpoint. */
    private int sinceCheckpoint;

    private boolean stale;

    /** With the bootstrap replicates ({@code bt}'s interval) or without. */
    BattleTally(boolean replicates) {
        this(replicates, CHECKPOINT);
    }

    /** With elo's checkpoints every {@code checkpoint} battles. */
    BattleTally(boolean replicates, int checkpoint) {
        this.counts = new BattleCounts(replicates);
        this.checkpoint = checkpoint;
    }

    /** The tally of {@code slots} (in slot-key order, keyed by their position in it): the slot path's. */
    static BattleTally of(List<Slot> slots, boolean replicates) {
        BattleTally t = new BattleTally(replicates);
        for (int x = 0; x < slots.size(); x++) {
            t.add(new Entry(String.format("%012d", x), slots.get(x)), 1);
        }
        return t;
    }

    /** Whether the slot is a battle: a parsed verdict of a model against another, its baseline. */
    static boolean battle(Slot s) {
        return !s.unparseable() && s.baseline() != null && !s.baseline().equals(s.modelId());
    }

    /** The model's score against its baseline: better a win, tie half, worse a loss. */
    static double score(Slot s) {
        return switch (s.outcome()) {
            case MUCH_BETTER, BETTER -> 1.0;
            case TIE -> 0.5;
            case WORSE, MUCH_WORSE -> 0.0;
        };
    }

    /** Adds ({@code sign} 1) or takes away (−1) the slot under its store key. */
    void add(Entry e, int sign) {
        Slot s = e.slot();
        if (sign > 0) {
            ledger.add(e);
        } else {
            ledger.remove(e);
        }
        if (s.unparseable() && unparseable.merge(s.modelId(), (long) sign, Long::sum) == 0) {
            unparseable.remove(s.modelId());
        }
        if (!battle(s)) {
            return;
        }
        counts.add(s.modelId(), s.baseline(), score(s), ScoreTally.item(s), sign);
        if (sign > 0 && !stale && (last == null || BenchmarkTallies.LEDGER_THEN_KEY.compare(e, last) > 0)) {
            takeIn(e);
        } else {
            // The ratings after every battle before this one still hold.
            checkpoints.tailMap(e, true).clear();
            stale = true;
        }
    }

    /** Elo's update by the battle {@code e}, the next in ledger order; a checkpoint every so often. */
    private void takeIn(Entry e) {
        OnlineElo.update(elo, e.slot().modelId(), e.slot().baseline(), score(e.slot()));
        last = e;
        if (++sinceCheckpoint == checkpoint) {
            checkpoints.put(e, new TreeMap<>(elo));
            sinceCheckpoint = 0;
        }
    }

    /** Online Elo over the battles in ledger order (when stale, replayed from the last checkpoint before the change). */
    Map<String, Double> elo() {
        if (stale) {
            Map.Entry<Entry, Map<String, Double>> from = checkpoints.lastEntry();
            elo.clear();
            last = null;
            sinceCheckpoint = 0;
            Iterable<Entry> rest = ledger;
            if (from != null) {
                elo.putAll(from.getValue());
                last = from.getKey();
                rest = ledger.tailSet(from.getKey(), false);
            }
            stale = false;
            for (Entry e : rest) {
                if (battle(e.slot())) {
                    takeIn(e);
                }
            }
        }
        return elo;
    }

    /**
     * Online Elo over the ledger without its {@code lag} latest slots (the stability tau's earlier ranking):
     * from the last checkpoint before them, the same updates in the same order.
     */
    Map<String, Double> eloWithoutLatest(int lag) {
        elo();
        Iterator<Entry> back = ledger.descendingIterator();
        Entry first = null;
        for (int x = 0; x < lag && back.hasNext(); x++) {
            first = back.next();
        }
        Map<String, Double> r = new TreeMap<>();
        if (first == null) {
            return r;
        }
        Map.Entry<Entry, Map<String, Double>> from = checkpoints.lowerEntry(first);
        Iterable<Entry> replay = ledger.headSet(first, false);
        if (from != null) {
            r.putAll(from.getValue());
            replay = ledger.subSet(from.getKey(), false, first, false);
        }
        for (Entry e : replay) {
            if (battle(e.slot())) {
                OnlineElo.update(r, e.slot().modelId(), e.slot().baseline(), score(e.slot()));
            }
        }
        return r;
    }

    /** The point counts without the ledger's {@code lag} latest slots. */
    BattleCounts countsWithoutLatest(int lag) {
        BattleCounts out = counts.pointCopy();
        for (Slot s : BenchmarkTallies.latest(ledger, lag, x -> true)) {
            if (battle(s)) {
                out.add(s.modelId(), s.baseline(), score(s), ScoreTally.item(s), -1);
            }
        }
        return out;
    }
}
