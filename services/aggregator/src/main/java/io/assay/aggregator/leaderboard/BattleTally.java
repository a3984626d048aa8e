package io.assay.aggregator.leaderboard;

import io.assay.aggregator.leaderboard.BenchmarkTallies.Entry;
import io.assay.aggregator.stats.BattleCounts;
import io.assay.aggregator.stats.OnlineElo;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pairwise verdicts of one judge version, for {@code bt} and {@code elo} ({@link BradleyTerryBuilder}
 * and {@link EloBuilder} over the slots, {@link BenchmarkTallies} over the fold, both add the slots to one
 * of these, so there is one formula), in heap that does not grow with them:
 *
 * <ul>
 *   <li>per partition its latest verdicts in ledger order ({@link LedgerTails}: the judge's current version,
 *       the stability tau's latest verdicts, elo's replays) and the unparseable verdicts per model;</li>
 *   <li>the battles' {@link BattleCounts}: per pair of models the battles and the score, and the same under
 *       each Poisson bootstrap replicate's item weights, integers that do not depend on the order the
 *       verdicts arrive or go in;</li>
 *   <li>elo's ratings after the battles so far, the last one's ledger entry, and a copy of the ratings
 *       every {@link #CHECKPOINT} battles. Online Elo is order-dependent by definition: a battle that sorts
 *       after the last one is one update; one that arrives out of ledger order, a revised or a removed
 *       verdict drops the checkpoints from it on and marks the ratings stale, and they are replayed from the
 *       last checkpoint before it over the battles the tails hold after it (the same {@link OnlineElo#update}
 *       in the same order, so the same bits as a replay from the start): at the next read, or sooner, when
 *       a tail would otherwise drop a verdict the replay needs. A checkpoint the tails can no longer replay
 *       from is dropped; when none is left before a change (a battle or revision older than the tails,
 *       a late import, a partition scanned in key order) elo is not answered ({@code null}) until the tails
 *       hold the whole ledger again. The stability tau's earlier ranking replays from the last checkpoint
 *       before the {@code lag} latest verdicts.</li>
 * </ul>
 *
 * <p>With interleaved partitions most battles arrive a few places out of ledger order, so a replay is
 * short: the battles since the checkpoint before them. The tails keep {@link #capacity} verdicts per
 * partition so that one partition alone still holds a checkpoint before the stability tau's longest lag
 * and before a battle that many verdicts late. Not thread-safe.
 */
final class BattleTally {
    /** Battles between two of elo's checkpoints: a replay after an out-of-order battle takes in at most this many more. */
    static final int CHECKPOINT = 64;

    private final int checkpoint;

    /** Per partition, its latest verdicts, in ledger order. */
    private final LedgerTails tails;
    /** Per model, its unparseable verdicts. */
    final TreeMap<String, Long> unparseable = new TreeMap<>();

    final BattleCounts counts;
    private final TreeMap<String, Double> elo = new TreeMap<>();
    /**
     * Elo's ratings after the battle of each key, every {@code checkpoint} battles, of those the tails can
     * still replay from: a replay, and the stability tau's earlier ranking, start from the last one before
     * where they need to (from the start, without one).
     */
    private final TreeMap<Entry, Map<String, Double>> checkpoints = new TreeMap<>(BenchmarkTallies.LEDGER_THEN_KEY);
    /** The battle elo's ratings last took in, {@code null} for none. */
    private Entry last;
    /** Battles taken in since the last checkpoint. */
    private int sinceCheckpoint;

    private boolean stale;

    /**
     * With the bootstrap replicates ({@code bt}'s interval) or without, tails of {@code capacity} verdicts per
     * partition, and elo's checkpoints every {@code checkpoint} battles.
     */
    BattleTally(boolean replicates, int capacity, int checkpoint) {
        this.counts = new BattleCounts(replicates);
        this.tails = new LedgerTails(capacity);
        this.checkpoint = checkpoint;
    }

    /**
     * The verdicts the tallies keep per judge version and partition when a reference ledger keeps {@code tail}
     * (a stability lag up to it): that many, for the tau's latest verdicts, and twice {@link #CHECKPOINT} more,
     * so that a replay from the checkpoint before them, or before a battle up to {@code tail + CHECKPOINT}
     * verdicts late, finds its battles in one partition's tail alone.
     */
    static int capacity(int tail) {
        return (int) Math.min(Integer.MAX_VALUE, tail + 2L * CHECKPOINT);
    }

    /** The tally of {@code slots} (in slot-key order, keyed by their position in it): the slot path's. */
    static BattleTally of(List<Slot> slots, boolean replicates) {
        // Every slot kept, no checkpoint: one replay from the start.
        BattleTally t = new BattleTally(replicates, Integer.MAX_VALUE, Integer.MAX_VALUE);
        for (int x = 0; x < slots.size(); x++) {
            t.add(0, new Entry(String.format("%012d", x), slots.get(x)), 1);
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

    /** Adds ({@code sign} 1) or takes away (−1) the slot under its store key, stored in {@code partition}. */
    void add(int partition, Entry e, int sign) {
        Slot s = e.slot();
        if (sign > 0) {
            replayBeforeTheTailsDrop(partition, e);
        }
        tails.add(partition, e, sign);
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
            dropUnreplayable();
        }
    }

    /** The verdicts, kept or not. */
    long judgments() {
        return tails.slots();
    }

    /** Whether it has no verdict. */
    boolean isEmpty() {
        return tails.isEmpty();
    }

    /** Elo's checkpoints kept: those the tails can replay from, and at most one more (bounded by the tails). */
    int checkpoints() {
        return checkpoints.size();
    }

    /** The latest verdict, {@code null} when a partition that has verdicts keeps none. */
    Slot last() {
        return tails.lastSlot();
    }

    /**
     * Stale ratings are replayed now when adding {@code e} to {@code partition} would leave the tails no longer
     * holding every verdict after the checkpoint the replay starts from: later it could not be.
     */
    private void replayBeforeTheTailsDrop(int partition, Entry e) {
        if (stale && tails.dropsAfter(checkpoints.isEmpty() ? null : checkpoints.lastKey(), partition, e)) {
            replay();
        }
    }

    /** Elo's update by the battle {@code e}, the next in ledger order; a checkpoint every so often. */
    private void takeIn(Entry e) {
        OnlineElo.update(elo, e.slot().modelId(), e.slot().baseline(), score(e.slot()));
        last = e;
        if (++sinceCheckpoint == checkpoint) {
            checkpoints.put(e, new TreeMap<>(elo));
            sinceCheckpoint = 0;
            dropUnreplayable();
        }
    }

    /** Drops the checkpoints the tails no longer hold every battle after (the earliest ones): useless. */
    private void dropUnreplayable() {
        while (!checkpoints.isEmpty() && !tails.holdsAfter(checkpoints.firstKey())) {
            checkpoints.pollFirstEntry();
        }
    }

    /**
     * Replays the ratings from the last checkpoint (from the start, without one) over the battles the tails
     * hold after it; whether they hold them all (else the ratings stay stale).
     */
    private boolean replay() {
        Map.Entry<Entry, Map<String, Double>> from = checkpoints.lastEntry();
        List<Entry> rest = tails.after(from == null ? null : from.getKey());
        if (rest == null) {
            return false;
        }
        elo.clear();
        last = null;
        sinceCheckpoint = 0;
        if (from != null) {
            elo.putAll(from.getValue());
            last = from.getKey();
        }
        stale = false;
        for (Entry e : rest) {
            if (battle(e.slot())) {
                takeIn(e);
            }
        }
        return true;
    }

    /**
     * Online Elo over the battles in ledger order (when stale, replayed from the last checkpoint before the
     * change); {@code null} when the tails no longer hold the battles that replay needs.
     */
    Map<String, Double> elo() {
        return stale && !replay() ? null : elo;
    }

    /**
     * Online Elo over the ledger without its {@code lag} latest verdicts (the stability tau's earlier
     * ranking): from the last checkpoint before them, the same updates in the same order; {@code null} when
     * the tails do not hold those verdicts or the battles before them since that checkpoint.
     */
    Map<String, Double> eloWithoutLatest(int lag) {
        List<Entry> latest = tails.latest(lag);
        if (latest == null || elo() == null) {
            return null;
        }
        Map<String, Double> r = new TreeMap<>();
        if (latest.isEmpty()) {
            return r;
        }
        Entry first = latest.get(latest.size() - 1);
        Map.Entry<Entry, Map<String, Double>> from = checkpoints.lowerEntry(first);
        List<Entry> replay = tails.after(from == null ? null : from.getKey());
        if (replay == null) {
            return null;
        }
        if (from != null) {
            r.putAll(from.getValue());
        }
        for (Entry e : replay) {
            if (BenchmarkTallies.LEDGER_THEN_KEY.compare(e, first) >= 0) {
                break;
            }
            if (battle(e.slot())) {
                OnlineElo.update(r, e.slot().modelId(), e.slot().baseline(), score(e.slot()));
            }
        }
        return r;
    }

    /** The point counts without the ledger's {@code lag} latest verdicts, {@code null} when the tails do not hold them. */
    BattleCounts countsWithoutLatest(int lag) {
        List<Entry> latest = tails.latest(lag);
        if (latest == null) {
            return null;
        }
        BattleCounts out = counts.pointCopy();
        for (Entry e : latest) {
            Slot s = e.slot();
            if (battle(s)) {
                out.add(s.modelId(), s.baseline(), score(s), ScoreTally.item(s), -1);
            }
        }
        return out;
    }
}
