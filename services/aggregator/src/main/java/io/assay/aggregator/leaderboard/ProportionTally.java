package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.Estimate;
import io.assay.aggregator.stats.Wilson;
import java.util.HashMap;
import java.util.Map;

/**
 * One cell of the accuracy view kept up to date verdict by verdict: a model's (or a model's category's)
 * slots, the parseable ones' correct / n, and the sums {@link Wilson#clustered(long, long, long, long,
 * long, long)} needs, so the cell's estimate costs the same whatever the number of verdicts behind it.
 * A slot without an item id is an item of its own, as in {@link Rows#byItem}.
 */
final class ProportionTally {
    /** Per item, its parseable verdicts packed as {@code correct << 32 | n}. */
    private final Map<String, Long> items = new HashMap<>();

    private long slots;
    private long correct;
    private long n;
    private long clusters;
    private long c2;
    private long cn;
    private long n2;

    /** Adds ({@code sign} 1) or takes away ({@code sign} −1) one slot's verdict. */
    void add(Slot s, int sign) {
        slots += sign;
        if (s.unparseable()) {
            return;
        }
        long c = s.correct() ? 1 : 0;
        long oldC = 0;
        long oldN = 0;
        if (s.itemId() == null) {
            if (sign < 0) {
                oldC = c;
                oldN = 1;
            }
        } else {
            Long packed = items.get(s.itemId());
            if (packed != null) {
                oldC = packed >>> 32;
                oldN = packed & 0xffffffffL;
            }
        }
        long newC = oldC + sign * c;
        long newN = oldN + sign;
        if (s.itemId() != null) {
            if (newN == 0) {
                items.remove(s.itemId());
            } else {
                items.put(s.itemId(), newC << 32 | newN);
            }
        }
        correct += sign * c;
        n += sign;
        clusters += (newN > 0 ? 1 : 0) - (oldN > 0 ? 1 : 0);
        c2 += newC * newC - oldC * oldC;
        cn += newC * newN - oldC * oldN;
        n2 += newN * newN - oldN * oldN;
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
