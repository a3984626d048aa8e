package io.assay.aggregator.leaderboard;

import io.assay.aggregator.leaderboard.BenchmarkTallies.Entry;
import java.util.TreeSet;

/**
 * The latest verdicts of one partition's share of a ledger ({@link BenchmarkTallies#LEDGER_THEN_KEY}
 * order), at most {@code capacity} of them, and how many there are in all: what the tallied views read
 * of the ledger (the judge's current version, the stability tau's {@code lag} latest verdicts) without
 * keeping every verdict in heap. Every verdict it does not keep sorts before every one it keeps, so its
 * latest is the partition's latest and its {@code k} latest are the partition's {@code k} latest while
 * it keeps {@code k} ({@link #holds}); {@link LedgerTails} merges the partitions'. A verdict taken away (a revision) leaves one fewer until the
 * partition is restored from its store; one added that sorts before the kept ones, while some are not
 * kept, is not kept either (its place among those is unknown).
 */
final class LedgerTail {
    private final int capacity;
    private final TreeSet<Entry> kept = new TreeSet<>(BenchmarkTallies.LEDGER_THEN_KEY);
    private long slots;

    LedgerTail(int capacity) {
        this.capacity = capacity;
    }

    /** Adds ({@code sign} 1) or takes away ({@code sign} −1) a verdict. */
    void add(Entry e, int sign) {
        if (sign < 0) {
            slots--;
            kept.remove(e);
            return;
        }
        boolean whole = kept.size() == slots;
        slots++;
        if (whole || !kept.isEmpty() && BenchmarkTallies.LEDGER_THEN_KEY.compare(e, kept.first()) > 0) {
            kept.add(e);
            if (kept.size() > capacity) {
                kept.pollFirst();
            }
        }
    }

    /** The verdicts, kept or not. */
    long slots() {
        return slots;
    }

    /** Whether its {@code lag} latest verdicts (or all of them, when fewer) are kept. */
    boolean holds(int lag) {
        return kept.size() >= Math.min(lag, slots);
    }

    /** The latest verdict, {@code null} when it has none or keeps none. */
    Entry last() {
        return kept.isEmpty() ? null : kept.last();
    }

    /** The verdicts kept, in ledger order. */
    TreeSet<Entry> kept() {
        return kept;
    }
}
