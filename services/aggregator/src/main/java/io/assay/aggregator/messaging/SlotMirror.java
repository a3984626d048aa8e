package io.assay.aggregator.messaging;

import io.assay.aggregator.leaderboard.BenchmarkTallies;
import io.assay.aggregator.leaderboard.Fold;
import io.assay.aggregator.leaderboard.Slot;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The decoded slots of every local task, in memory, so a view is computed without scanning and
 * decoding the persistent store (at 1,000 judgments/s a full decode per view update would dominate
 * freshness). It is a cache of the stores, not a second state:
 *
 * <ul>
 *   <li>{@link JudgmentProcessor#init} rebuilds a partition's part from its store. Kafka Streams calls
 *       it after the store is restored, again when a task is revived after an aborted transaction
 *       (its state wiped and restored from the changelog), and on a new assignment;</li>
 *   <li>every slot write goes to the store and here (write-through);</li>
 *   <li>a closed task's part is dropped.</li>
 * </ul>
 *
 * <p>So it holds exactly what interactive queries on the stores would read (both see uncommitted
 * writes of the open transaction), less the drill-down text ({@link Slot#withoutDrillDown}: rationales
 * and raw pairwise verdicts), which the per-item page reads from the stores. Every write here also updates the benchmark's {@link BenchmarkTallies}
 * (the old verdict taken away, the new one added), from which the incremental views are read.
 *
 * <p>See docs/aggregation.md.
 */
@ApplicationScoped
public class SlotMirror {
    private final Map<Integer, ConcurrentSkipListMap<String, Slot>> partitions = new ConcurrentHashMap<>();
    /** Per benchmark, the sufficient statistics of the incremental views, updated with every write here. */
    private final Map<String, BenchmarkTallies> tallies = new ConcurrentHashMap<>();
    /** Counts resets and drops: a reader that saw the same generation before and after read one state. */
    private final AtomicLong generation = new AtomicLong();

    /** Replaces a partition's slots with {@code slots} (kept {@link Slot#withoutDrillDown}). */
    void reset(int partition, Map<String, Slot> slots) {
        // Moved before and after: a reader that overlaps the tallies' update sees a new generation.
        generation.incrementAndGet();
        ConcurrentSkipListMap<String, Slot> now = new ConcurrentSkipListMap<>();
        slots.forEach((key, slot) -> now.put(key, slot.withoutDrillDown()));
        ConcurrentSkipListMap<String, Slot> old = partitions.put(partition, now);
        retally(old, now);
        generation.incrementAndGet();
    }

    /** Drops a partition (its task was closed or moved). */
    void drop(int partition) {
        generation.incrementAndGet();
        retally(partitions.remove(partition), null);
        generation.incrementAndGet();
    }

    private void retally(Map<String, Slot> old, Map<String, Slot> now) {
        if (old != null) {
            old.forEach((key, slot) -> tally(key, slot, null));
        }
        if (now != null) {
            now.forEach((key, slot) -> tally(key, null, slot));
        }
    }

    private void tally(String key, Slot old, Slot now) {
        BenchmarkTallies t =
                tallies.computeIfAbsent(key.substring(0, key.indexOf(Fold.SEPARATOR)), b -> new BenchmarkTallies());
        synchronized (t) {
            t.replace(key, old, now);
        }
    }

    /**
     * {@code read} applied to {@code benchmark}'s tallies (empty ones when it has no slots here) while no
     * slot of it is written: a consistent state, read in the time its models and categories take.
     */
    public <T> T tallied(String benchmark, Function<BenchmarkTallies, T> read) {
        BenchmarkTallies t = tallies.get(benchmark);
        if (t == null) {
            return read.apply(new BenchmarkTallies());
        }
        synchronized (t) {
            return read.apply(t);
        }
    }

    /** The partitions whose slots are here (their tasks restored and initialised). */
    Set<Integer> partitions() {
        return Set.copyOf(partitions.keySet());
    }

    /** Changes whenever a partition is filled or dropped. */
    long generation() {
        return generation.get();
    }

    /** Writes one slot through, {@link Slot#withoutDrillDown}. */
    void put(int partition, String key, Slot slot) {
        Slot lean = slot.withoutDrillDown();
        Slot old = partitions
                .computeIfAbsent(partition, p -> new ConcurrentSkipListMap<>())
                .put(key, lean);
        tally(key, old, lean);
    }

    /** The slots of {@code benchmark} in key order. */
    public List<Slot> slots(String benchmark) {
        String from = Fold.prefix(benchmark);
        // The separator's successor bounds the prefix range.
        String to = benchmark + (char) (Fold.SEPARATOR.charAt(0) + 1);
        List<Map.Entry<String, Slot>> merged = new ArrayList<>();
        for (ConcurrentSkipListMap<String, Slot> p : partitions.values()) {
            ConcurrentNavigableMap<String, Slot> range = p.subMap(from, true, to, false);
            merged.addAll(range.entrySet());
        }
        // Each partition's range is sorted already: the merge sort only merges the runs (no key is in two).
        merged.sort(Map.Entry.comparingByKey());
        List<Slot> slots = new ArrayList<>(merged.size());
        merged.forEach(e -> slots.add(e.getValue()));
        return slots;
    }

    /** Whether {@code benchmark} has a slot here. */
    public boolean has(String benchmark) {
        String from = Fold.prefix(benchmark);
        for (ConcurrentSkipListMap<String, Slot> p : partitions.values()) {
            String next = p.ceilingKey(from);
            if (next != null && next.startsWith(from)) {
                return true;
            }
        }
        return false;
    }

    /** Slot counts and model counts need every slot: the whole mirror, in key order. */
    public Map<String, Slot> all() {
        ConcurrentSkipListMap<String, Slot> merged = new ConcurrentSkipListMap<>();
        partitions.values().forEach(merged::putAll);
        return merged;
    }
}
