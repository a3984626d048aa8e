package io.assay.aggregator.leaderboard;

import io.assay.aggregator.leaderboard.BenchmarkTallies.Entry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One ledger (the verdicts of one judge version of one kind) as the tallies keep it: per partition its
 * {@link LedgerTail}, the latest verdicts in {@link BenchmarkTallies#LEDGER_THEN_KEY} order, and how many
 * there are in all. What the views read of a ledger — the judge's current version, the current scale, the
 * stability tau's latest verdicts — is answered from the tails while they hold it, and is {@code null}
 * otherwise (the slots decide). Not thread-safe.
 */
final class LedgerTails {
    private final int capacity;
    private final Map<Integer, LedgerTail> tails = new HashMap<>();
    private long slots;

    /** Tails that keep {@code capacity} verdicts per partition. */
    LedgerTails(int capacity) {
        this.capacity = capacity;
    }

    /** Adds ({@code sign} 1) or takes away (−1) the verdict {@code e}, stored in {@code partition}. */
    void add(int partition, Entry e, int sign) {
        LedgerTail t = tails.computeIfAbsent(partition, x -> new LedgerTail(capacity));
        t.add(e, sign);
        if (t.slots() == 0) {
            tails.remove(partition);
        }
        slots += sign;
    }

    /** The verdicts, kept or not. */
    long slots() {
        return slots;
    }

    /** Whether it has no verdict. */
    boolean isEmpty() {
        return slots == 0;
    }

    /** The latest verdict; {@code null} when there is none or a partition that has verdicts keeps none. */
    Entry last() {
        Entry last = null;
        for (LedgerTail t : tails.values()) {
            Entry e = t.last();
            if (e == null) {
                return null;
            }
            if (last == null || BenchmarkTallies.LEDGER_THEN_KEY.compare(e, last) > 0) {
                last = e;
            }
        }
        return last;
    }

    /** The slot of {@link #last}, {@code null} when that is. */
    Slot lastSlot() {
        Entry e = last();
        return e == null ? null : e.slot();
    }

    /** The {@code lag} latest verdicts (latest first), {@code null} when a partition does not keep them. */
    List<Entry> latest(int lag) {
        return latest(lag, s -> true);
    }

    /**
     * The {@code lag} latest verdicts that pass {@code keep} (latest first; fewer when the ledger has fewer),
     * {@code null} when the tails do not hold them: when the walk back from the latest would pass a verdict a
     * partition no longer keeps.
     */
    List<Entry> latest(int lag, Predicate<Slot> keep) {
        // The earliest verdict the merged tails are complete down to: each partition that dropped verdicts is
        // complete only down to the first it keeps.
        Entry floor = null;
        List<Entry> merged = new ArrayList<>();
        for (LedgerTail t : tails.values()) {
            if (t.kept().size() < t.slots()) {
                Entry first = t.kept().isEmpty() ? null : t.kept().first();
                if (first == null) {
                    return lag == 0 ? List.of() : null;
                }
                if (floor == null || BenchmarkTallies.LEDGER_THEN_KEY.compare(first, floor) > 0) {
                    floor = first;
                }
            }
            merged.addAll(t.kept());
        }
        merged.sort(BenchmarkTallies.LEDGER_THEN_KEY.reversed());
        List<Entry> out = new ArrayList<>(Math.min(lag, merged.size()));
        Iterator<Entry> it = merged.iterator();
        while (out.size() < lag && it.hasNext()) {
            Entry e = it.next();
            if (floor != null && BenchmarkTallies.LEDGER_THEN_KEY.compare(e, floor) < 0) {
                return null;
            }
            if (keep.test(e.slot())) {
                out.add(e);
            }
        }
        return out.size() < lag && floor != null ? null : out;
    }
}
