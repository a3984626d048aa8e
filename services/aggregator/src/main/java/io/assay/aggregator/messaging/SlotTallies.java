package io.assay.aggregator.messaging;

import io.assay.aggregator.leaderboard.BenchmarkTallies;
import io.assay.aggregator.leaderboard.DeclaredPairs;
import io.assay.aggregator.leaderboard.Fold;
import io.assay.aggregator.leaderboard.ItemRuns;
import io.assay.aggregator.leaderboard.Slot;
import io.assay.aggregator.leaderboard.SlotScan;
import io.assay.contracts.ModelSpec;
import io.assay.kit.config.ConfigRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Per benchmark, the {@link BenchmarkTallies} of the slots of every local task, kept in step with the
 * {@code slots} stores, from which the incremental views are read; the slots themselves stay on disk
 * (the stores), so the heap does not grow with the ledger. Like a cache of the stores, not a second
 * state:
 *
 * <ul>
 *   <li>{@link JudgmentProcessor#init} adds a partition's slots, scanned from its store. Kafka Streams
 *       calls it after the store is restored, again when a task is revived after an aborted transaction
 *       (its state wiped and restored from the changelog), and on a new assignment;</li>
 *   <li>every slot write goes to the store and here (the old verdict taken away, the new one added), both under
 *       the benchmark's lock ({@link #put}), so a reader that holds it ({@link #tallied}) and reads the store
 *       sees the two in one state: the tallied views read the items the tallies do not keep from the store
 *       ({@link io.assay.aggregator.leaderboard.ItemSlots});</li>
 *   <li>a closed task's slots, scanned from its store (still open when its processor closes), are taken
 *       away.</li>
 * </ul>
 *
 * <p>The {@code regression} flips are tallied for the pairs the registered model specs declare ({@link #pairs}, a
 * model and its previous version), as the registry has them at each write. A partition's slots are tallied once
 * the registry is read (the kit starts Kafka Streams only then, {@code StreamsRuntime}), so a restart counts every
 * declared pair from the first slot ({@link BenchmarkTallies#declare}).
 *
 * <p>Slots are tallied {@link Slot#withoutDrillDown} (the ledgers some tallies keep need no rationale).
 * The items with a slot are counted from the stores too: a partition's scan is in key order, so an item's
 * slots are contiguous, and a write tells whether its item had a slot before.
 *
 * <p>See docs/aggregation.md.
 */
@ApplicationScoped
public class SlotTallies {
    private static final Logger LOG = Logger.getLogger(SlotTallies.class);
    /** The registered model specs; {@code null}: none (no model declares a previous version). */
    private final ConfigRegistry registry;
    /** The pairs of {@link #pairs} and the registry version they were derived from. */
    private volatile Declared declared = new Declared(-1, DeclaredPairs.NONE);

    /** The partitions tallied here (their tasks restored and initialised), with how to scan their slots. */
    private final Map<Integer, SlotScan> partitions = new ConcurrentHashMap<>();
    /** Per benchmark, the sufficient statistics of the incremental views, updated with every write. */
    private final Map<String, BenchmarkTallies> tallies = new ConcurrentHashMap<>();
    /** Counts resets and drops: a reader that saw the same generation before and after read one state. */
    private final AtomicLong generation = new AtomicLong();

    /** Tallies without a registry: no model declares a previous version (tests). */
    public SlotTallies() {
        this(null);
    }

    /** Tallies whose {@code regression} flips count the pairs {@code registry}'s model specs declare. */
    @Inject
    public SlotTallies(ConfigRegistry registry) {
        this.registry = registry;
    }

    /**
     * The pairs of models the registry declares now (one object per registry version, so the tallies tell a change
     * by identity).
     */
    DeclaredPairs pairs() {
        if (registry == null) {
            return DeclaredPairs.NONE;
        }
        Declared d = declared;
        long version = registry.version();
        if (d.version() != version) {
            d = new Declared(version, DeclaredPairs.of(registry.models()));
            declared = d;
        }
        return d.pairs();
    }

    /** Tallies a partition's slots, read from its store by {@code scan}; whether it has any. */
    synchronized boolean reset(int partition, SlotScan scan) {
        // Moved before and after: a reader that overlaps the tallies' update sees a new generation.
        generation.incrementAndGet();
        if (partitions.put(partition, scan) != null) {
            // Initialised again without a close: what it held is unknown, so every partition is tallied anew.
            LOG.warnf(
                    "judgments partition %d initialised again without a close: tallying every partition anew",
                    partition);
            tallies.clear();
            partitions.forEach((p, s) -> add(p, s, 1));
            generation.incrementAndGet();
            return true;
        }
        long added = add(partition, scan, 1);
        dropKept();
        generation.incrementAndGet();
        return added > 0;
    }

    /** Takes a closed (or moved) task's slots, read from its still-open store by {@code scan}, away. */
    synchronized void drop(int partition, SlotScan scan) {
        generation.incrementAndGet();
        if (partitions.remove(partition) != null) {
            try {
                add(partition, scan, -1);
            } catch (RuntimeException e) {
                LOG.warnf(
                        e,
                        "judgments partition %d could not be read at its close: tallying the others anew",
                        partition);
                tallies.clear();
                partitions.forEach((p, s) -> add(p, s, 1));
            }
        }
        dropKept();
        generation.incrementAndGet();
    }

    /**
     * Drops every benchmark's kept views ({@link io.assay.aggregator.leaderboard.KeptStreams}): they are fed writes,
     * not a partition's slots, and are made again from the stores when next read.
     */
    private void dropKept() {
        tallies.values().forEach(t -> {
            synchronized (t) {
                t.kept().clear();
            }
        });
    }

    /**
     * Adds ({@code sign} 1) or takes away (−1) a partition's slots; how many. The scan is in key order, so
     * an item's slots are contiguous, and within it a model's ({@link ItemRuns}).
     */
    private long add(int partition, SlotScan scan, int sign) {
        long[] slots = {0};
        String[] lastItem = {null};
        DeclaredPairs pairs = pairs();
        ItemRuns runs = new ItemRuns(
                sign,
                (key, s, others, otherModels) -> tallies(
                        key,
                        t -> t.replace(
                                partition, key, sign > 0 ? null : s, sign > 0 ? s : null, others, pairs, otherModels)));
        scan.forEach((key, slot) -> {
            String item = Fold.itemPrefix(key);
            if (!item.equals(lastItem[0])) {
                tallies(key, t -> t.items(sign));
            }
            lastItem[0] = item;
            runs.accept(key, slot);
            slots[0]++;
        });
        runs.finish();
        return slots[0];
    }

    private void tallies(String key, java.util.function.Consumer<BenchmarkTallies> update) {
        BenchmarkTallies t = tallies.computeIfAbsent(benchmarkOf(key), b -> new BenchmarkTallies());
        synchronized (t) {
            update.accept(t);
        }
    }

    /**
     * Writes one slot through: {@code key} in {@code partition} goes from {@code old} (or none) to {@code
     * now}; {@code newItem} when its item had no slot in the store before; {@code others} the other slots
     * of its item and model in the store, {@code partnerSlots} its item's slots of its model's partners in {@code
     * pairs} (as {@link #pairs} gave them before the store was read: {@link BenchmarkTallies#replace}). {@code write}
     * writes it to the store, under the benchmark's lock with the tallies' update, so that no reader sees one without
     * the other.
     */
    void put(
            int partition,
            String key,
            Slot old,
            Slot now,
            boolean newItem,
            List<Slot> others,
            DeclaredPairs pairs,
            List<Slot> partnerSlots,
            Runnable write) {
        Slot before = old == null ? null : old.withoutDrillDown();
        Slot lean = now.withoutDrillDown();
        tallies(key, t -> {
            write.run();
            t.replace(partition, key, before, lean, others, pairs, partnerSlots);
            t.kept().replace(key, before, lean, others, pairs, partnerSlots, models());
            t.items(newItem ? 1 : 0);
        });
    }

    /** The registered models now, none without a registry: their cutoffs decide what a kept post-cutoff view keeps. */
    private Map<String, ModelSpec> models() {
        return registry == null ? Map.of() : registry.models();
    }

    private record Declared(long version, DeclaredPairs pairs) {}

    /**
     * {@code read} applied to {@code benchmark}'s tallies (empty ones when it has no slots here) while no
     * slot of it is written, to the tallies or the store ({@link #put}): a consistent state, read in the time
     * its models and categories take.
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

    /** The benchmarks with a slot here, sorted. */
    public List<String> benchmarks() {
        TreeSet<String> out = new TreeSet<>();
        tallies.forEach((b, t) -> {
            synchronized (t) {
                if (t.slots() > 0) {
                    out.add(b);
                }
            }
        });
        return List.copyOf(out);
    }

    /** Whether {@code benchmark} has a slot here. */
    public boolean has(String benchmark) {
        return tallied(benchmark, t -> t.slots() > 0);
    }

    /** The partitions tallied here (their tasks restored and initialised). */
    Set<Integer> partitions() {
        return Set.copyOf(partitions.keySet());
    }

    /** Changes whenever a partition is tallied or dropped. */
    long generation() {
        return generation.get();
    }

    private static String benchmarkOf(String key) {
        return key.substring(0, key.indexOf(Fold.SEPARATOR));
    }
}
