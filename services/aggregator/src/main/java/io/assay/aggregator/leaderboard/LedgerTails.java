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

    /**
     * Whether the tails hold every verdict after {@code from} (every verdict when {@code null}): each partition
     * either keeps all its verdicts or dropped only some that sort at or before {@code from}.
     */
    boolean holdsAfter(Entry from) {
        for (LedgerTail t : tails.values()) {
            if (t.kept().size() < t.slots()
                    && (from == null
                            || t.kept().isEmpty()
                            || BenchmarkTallies.LEDGER_THEN_KEY.compare(t.kept().first(), from) > 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The verdicts after {@code from} (every one when {@code null}) in ledger order, {@code null} when the
     * tails do not hold them all ({@link #holdsAfter}): what a replay from {@code from} reads.
     */
    List<Entry> after(Entry from) {
        if (!holdsAfter(from)) {
            return null;
        }
        List<Entry> out = new ArrayList<>();
        for (LedgerTail t : tails.values()) {
            out.addAll(from == null ? t.kept() : t.kept().tailSet(from, false));
        }
        // Sorted runs, one per partition: the merge sort merges them.
        out.sort(BenchmarkTallies.LEDGER_THEN_KEY);
        return out;
    }

    /**
     * Whether adding {@code e} to {@code partition} would leave the tails no longer holding every verdict after
     * {@code from} ({@link #holdsAfter}) while they hold them now: a full tail drops its earliest verdict, or
     * {@code e}, and is then complete only down to the earliest it keeps.
     */
    boolean dropsAfter(Entry from, int partition, Entry e) {
        LedgerTail t = tails.get(partition);
        if (t == null || t.kept().size() < capacity || !holdsAfter(from)) {
            return false;
        }
        Entry first = t.kept().first();
        boolean before = BenchmarkTallies.LEDGER_THEN_KEY.compare(e, first) < 0;
        if (before && t.kept().size() < t.slots()) {
            return false; // not kept, and it sorts before what the tail is complete down to
        }
        // The earliest kept after the add: the first still (e dropped), or the second or e (the first dropped).
        Entry second = t.kept().higher(first);
        Entry then =
                before ? first : second == null || BenchmarkTallies.LEDGER_THEN_KEY.compare(e, second) < 0 ? e : second;
        return from == null || BenchmarkTallies.LEDGER_THEN_KEY.compare(then, from) > 0;
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
