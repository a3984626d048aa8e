package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.Estimate;
import io.assay.aggregator.stats.Wilson;

/**
 * One cell of the accuracy view kept up to date verdict by verdict: a model's (or a model's category's)
 * slots, the parseable ones' correct / n, and the sums {@link Wilson#clustered(long, long, long, long,
 * long, long)} needs, so the cell's estimate costs the same whatever the number of verdicts behind it.
 * A slot without an item id is an item of its own, as in {@link Rows#byItem}. The item's other verdicts in
 * the cell are not kept here: whoever adds a verdict says what they are ({@link #add}), read from the
 * {@code slots} store, where they sit beside it (docs/aggregation.md, "Incremental views").
 */
final class ProportionTally {

    private long slots;
    private long correct;
    private long n;
    private long clusters;
    private long c2;
    private long cn;
    private long n2;

    /**
     * Adds ({@code sign} 1) or takes away ({@code sign} −1) one slot's verdict, whose item has in this cell
     * the {@code others} parseable verdicts besides it, packed as {@code correct << 32 | n} ({@link #pack}).
     */
    void add(Slot s, int sign, long others) {
        slots += sign;
        if (s.unparseable()) {
            return;
        }
        long c = s.correct() ? 1 : 0;
        // A slot without an item id is an item of its own: no others.
        long baseC = s.itemId() == null ? 0 : others >>> 32;
        long baseN = s.itemId() == null ? 0 : others & 0xffffffffL;
        long withC = baseC + c;
        long withN = baseN + 1;
        long oldC = sign > 0 ? baseC : withC;
        long oldN = sign > 0 ? baseN : withN;
        long newC = sign > 0 ? withC : baseC;
        long newN = sign > 0 ? withN : baseN;
        correct += sign * c;
        n += sign;
        clusters += (newN > 0 ? 1 : 0) - (oldN > 0 ? 1 : 0);
        c2 += newC * newC - oldC * oldC;
        cn += newC * newN - oldC * oldN;
        n2 += newN * newN - oldN * oldN;
    }

    /** {@code correct} of {@code n} verdicts, packed as {@link #add} takes them. */
    static long pack(long correct, long n) {
        return correct << 32 | n;
    }

    /** The slots counted, unparseable ones included (a cell exists while it has any). */
    long slots() {
        return slots;
    }

    /** The correct parseable verdicts. */
    long correct() {
        return correct;
    }

    /** The parseable verdicts. */
    long n() {
        return n;
    }

    /** The share correct with its Wilson interval clustered by item, as {@link AccuracyBuilder#accuracy}. */
    Estimate estimate() {
        return Wilson.clustered(correct, n, clusters, c2, cn, n2);
    }
}
