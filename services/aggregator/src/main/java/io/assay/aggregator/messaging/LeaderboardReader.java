package io.assay.aggregator.messaging;

import io.assay.aggregator.config.AggregatorConfig;
import io.assay.aggregator.leaderboard.BenchmarkSummary;
import io.assay.aggregator.leaderboard.BenchmarkTallies;
import io.assay.aggregator.leaderboard.Call;
import io.assay.aggregator.leaderboard.CallTally;
import io.assay.aggregator.leaderboard.Fold;
import io.assay.aggregator.leaderboard.IrtCells;
import io.assay.aggregator.leaderboard.ItemIndex;
import io.assay.aggregator.leaderboard.ItemSlots;
import io.assay.aggregator.leaderboard.KeptStreams;
import io.assay.aggregator.leaderboard.LabelledItems;
import io.assay.aggregator.leaderboard.Leaderboards;
import io.assay.aggregator.leaderboard.Slot;
import io.assay.aggregator.leaderboard.StreamedViews;
import io.assay.aggregator.leaderboard.TalliedViews;
import io.assay.aggregator.leaderboard.View;
import io.assay.aggregator.leaderboard.ViewQuery;
import io.assay.aggregator.leaderboard.ViewSlots;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Topics;
import io.assay.kit.config.ConfigRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The read side: leaderboards computed from the {@link SlotTallies} of every local task, from their slots
 * streamed into fresh tallies ({@link StreamedViews}), or from their slots read from the {@code slots} stores
 * (interactive queries, sorted into key order, so every view sees them in the same order whatever the
 * partitioning), the evaluation calls through interactive queries,
 * and models and benchmark specs from the kit's {@link ConfigRegistry}.
 *
 * <p>Only local tasks are read, and they are every partition: each replica folds everything under its
 * own application id (docs/aggregation.md, "Replicas").
 *
 * <p>Answers only from a complete state: Kafka Streams RUNNING and every judgments partition of its
 * active tasks tallied (restored and initialised). Otherwise (startup, restoring after a restart,
 * rebalancing, a task revived after an aborted transaction) it throws {@link InvalidStateStoreException},
 * which the REST layer answers with 503 and Retry-After and the snapshot publisher skips: a partial
 * state would show a smaller {@code n}, or a 404 for a benchmark whose partition is still restoring.
 *
 * <p>Caching, the 503s and replicas: docs/aggregation.md.
 */
@ApplicationScoped
public class LeaderboardReader {
    private final KafkaStreams streams;
    /** The least time between two rebuilds of a benchmark's item index while its judgments keep changing. */
    static final long CONFIG_TTL_MS = 2000;

    /**
     * Heap a view computed from the slots takes per slot, budgeted: a slot as the views hold it
     * ({@link ViewSlots}) retains 237 bytes (a reference verdict) to 309 (one on an item with a human label).
     * At 1,000,000 slots in {@code -Xmx384m} (371 MiB usable) irt, judge-agreement, position-bias and regression
     * answer with their working set on top (live heap after a GC up to 371 MiB: about 390 bytes a slot);
     * lc-winrate, which fits one model's verdicts at a time, answers over 760,000 preferences (BENCHMARKS.md,
     * "Views on a long history", {@code SlotPathFootprintBenchmark}). So the budget is 512 bytes: 1.75 times
     * the largest slot without labels. Of the old generation, not the whole heap ({@link #slotHeap()}): the slots
     * outlive the young collections of a computation that takes seconds, so they are promoted and must fit there
     * beside what the aggregator keeps (35 MB after 750,000 preferences). Budgeted on the whole heap (760,320 slots
     * at {@code -Xmx384m}, serial collector, whose old generation is 256 MiB of the 384), lc-winrate over 700,000
     * to 750,000 preferences ran with the old generation full: 130 s and 264 full collections once, and beside it
     * every view's freshness p99 over 1 s (BENCHMARKS.md, "The slot path's limit on the old generation"). Now
     * 524,288 slots there; more is refused rather than risk an OutOfMemoryError or a collector that runs nonstop.
     */
    static final long HEAP_PER_SLOT = 512;
    /**
     * How many times the slot-path limit {@code irt} reads into its cells ({@link IrtCells}): it holds no slot, only
     * 20 bytes of counts a cell; its peak is a first computation's (every slot read into the cells), measured at 218
     * MiB after any GC at twice the limit (1,500,000 verdicts at {@code -Xmx384m}, serial GC, the tallies included:
     * {@code IrtCellsBenchmark#inTheChartsHeap}), under 60 % of the heap, and a later computation allocates some 50
     * bytes a verdict.
     */
    static final long IRT_CELLS_PER_SLOT = 2;

    private final SlotTallies tallies;
    /**
     * The most slots a view reads into the heap at once: {@code assay.aggregator.slot-path-limit}, else the heap its
     * slots live in ({@link #slotHeap()}) / {@link #HEAP_PER_SLOT}. Resolved once: the heap does not change.
     */
    private final long slotPathLimit;
    /** Where {@link #slotPathLimit} comes from, for the refusal's reason. */
    private final String limitSource;
    /**
     * The most cells {@code irt} reads into its cells at once: {@link #IRT_CELLS_PER_SLOT} times the configured limit,
     * else times max heap / {@link #HEAP_PER_SLOT}, as it was measured: its cells are not slots (20 bytes a cell).
     */
    private final long irtCellLimit;
    /** Where {@link #irtCellLimit} comes from, for the refusal's reason. */
    private final String irtLimitSource;
    /** The slots every computation from them holds at once, at most {@link #slotPathLimit} in all. */
    private final SlotBudget budget;

    private final AggregatorMetrics metrics;

    private final ViewChanges changes;
    private final ConfigRegistry registry;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();
    /** The computations running, by the same key as {@link #cache}. */
    private final Map<String, Computing> computing = new java.util.concurrent.ConcurrentHashMap<>();

    private final Map<String, CachedItems> items = new java.util.concurrent.ConcurrentHashMap<>();
    /** {@code judge-agreement}'s labelled items' parts, per benchmark and {@code judge=} value: a sixteenth of the heap. */
    private final ViewCaches<LabelledItems.Cache> labelledCaches =
            new ViewCaches<>(LabelledItems.Cache::new, LabelledItems.Cache::bytes, 16);
    /**
     * {@code irt}'s cells, per benchmark and {@code judge=} value: an eighth of the heap, which keeps the cells of the
     * largest {@code irt} the reader answers ({@link #IRT_CELLS_PER_SLOT}) with ten models an item (at {@code
     * -Xmx384m}, 1,500,000 cells on 150,000 items of 6 characters take 39 MB of 46); without them each computation
     * reads every slot again.
     */
    private final ViewCaches<IrtCells.Cache> irtCaches =
            new ViewCaches<>(IrtCells.Cache::new, IrtCells.Cache::bytes, 8);

    /**
     * Reads the stores of {@code streams}, the slots' {@code tallies}, the models and benchmark specs from
     * {@code registry}; reads at most {@code slotPathLimit} slots into the heap for a view (by default the old
     * generation / {@link #HEAP_PER_SLOT}; {@code
     * assay.aggregator.slot-path-limit} sets another, tests a small one).
     */
    @Inject
    public LeaderboardReader(
            KafkaStreams streams,
            SlotTallies tallies,
            ViewChanges changes,
            ConfigRegistry registry,
            AggregatorConfig config,
            AggregatorMetrics metrics) {
        OptionalLong configured = config.slotPathLimit();
        String heapSource = " bytes: a larger max heap, -Xmx, raises it";
        this.slotPathLimit = configured.orElse(slotHeap() / HEAP_PER_SLOT);
        this.limitSource = configured.isPresent()
                ? "assay.aggregator.slot-path-limit"
                : "the old generation's " + (slotHeap() >> 20) + " MiB / " + HEAP_PER_SLOT + heapSource;
        this.irtCellLimit =
                IRT_CELLS_PER_SLOT * configured.orElse(Runtime.getRuntime().maxMemory() / HEAP_PER_SLOT);
        this.irtLimitSource = IRT_CELLS_PER_SLOT + " × "
                + (configured.isPresent()
                        ? "assay.aggregator.slot-path-limit"
                        : "max heap / " + HEAP_PER_SLOT + heapSource)
                + ", for irt's cells";
        this.budget = new SlotBudget(slotPathLimit);
        this.metrics = metrics;
        this.streams = streams;
        this.tallies = tallies;
        this.changes = changes;
        this.registry = registry;
    }

    /**
     * Every benchmark with judgments, sorted by name: its counts from its tallies, {@code live} from its
     * last change.
     */
    public List<BenchmarkSummary> benchmarks() {
        long generation = requireComplete();
        long liveSince = System.currentTimeMillis() - BenchmarkSummary.LIVE_SECONDS * 1000;
        List<BenchmarkSummary> out = new ArrayList<>();
        for (String b : tallies.benchmarks()) {
            Long changed = changes.changedAt(b);
            out.add(tallies.tallied(
                    b,
                    t -> new BenchmarkSummary(
                            b,
                            t.slots(),
                            t.models(),
                            t.items(),
                            t.lastJudgedAt(),
                            changed != null && changed >= liveSince)));
        }
        requireUnchanged(generation);
        return out;
    }

    /** The names of the benchmarks with judgments. */
    public List<String> benchmarkNames() {
        return benchmarks().stream().map(BenchmarkSummary::benchmark).toList();
    }

    /** The names of the registered benchmarks (specs on {@code assay.benchmarks}), judged or not. */
    public Set<String> registeredBenchmarks() {
        return new TreeSet<>(registry.benchmarks().keySet());
    }

    /**
     * The view of {@code query} over every slot of {@code benchmark} in key order as the views read them ({@link
     * ViewSlots}: without the drill-down's fields, their repeated values shared), read from the stores of the local
     * tasks, one prefix scan. Refused ({@link TooManySlotsException}) above {@link #slotPathLimit}; else it waits
     * for its slots' share of the {@link SlotBudget} and holds it until the view is built, so that the computations
     * from the slots at once (the publisher's, each request's) hold at most the limit in all.
     */
    private LeaderboardSnapshot fromSlots(
            String benchmark, Leaderboards.Context context, ViewQuery query, Instant now, Bounds bounds) {
        long count = tallies.tallied(benchmark, BenchmarkTallies::slots);
        long limit = slotPathLimit;
        if (count > limit) {
            throw new TooManySlotsException(benchmark, count, limit, limitSource);
        }
        bounds.read(benchmark, count);
        try (SlotBudget.Share share = budget.take(count, bounds.waitAtMost())) {
            metrics.heapWaited(query.view(), share.waitedNanos());
            return Leaderboards.build(benchmark, slots(benchmark), context, query, now);
        }
    }

    /** The heap budget of the computations from the slots (tests). */
    SlotBudget budget() {
        return budget;
    }

    /** Whether a computation of {@code query} over {@code benchmark} is running (tests). */
    boolean computing(String benchmark, ViewQuery query) {
        return computing.containsKey(benchmark + Fold.SEPARATOR + query);
    }

    /**
     * The heap a view's slots live in while it is computed: the old generation's maximum size (the serial and the
     * parallel collectors' two thirds of the heap by default, G1's and generational ZGC's the whole heap), else the
     * max heap where the collector has no old generation.
     */
    static long slotHeap() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            String name = pool.getName();
            long max = pool.getUsage().getMax();
            if (pool.getType() == MemoryType.HEAP && (name.contains("Old") || name.contains("Tenured")) && max > 0) {
                return max;
            }
        }
        return Runtime.getRuntime().maxMemory();
    }

    /** Every slot of {@code benchmark}, as {@link #fromSlots} reads them (no limit: the caller checks it). */
    private List<Slot> slots(String benchmark) {
        long generation = requireComplete();
        List<Slot> slots = ViewSlots.read(action -> scan(Fold.prefix(benchmark), action), s -> true);
        requireUnchanged(generation);
        return slots;
    }

    /** How many slots of {@code benchmark} {@code keep} keeps: one scan, none of them held. */
    public long count(String benchmark, Predicate<Slot> keep) {
        long generation = requireComplete();
        long[] n = {0};
        scan(Fold.prefix(benchmark), (key, slot) -> {
            if (keep.test(slot)) {
                n[0]++;
            }
        });
        requireUnchanged(generation);
        return n[0];
    }

    /** Hands every slot under {@code prefix} to {@code action}: store by store, each in key order. */
    private void scan(String prefix, java.util.function.BiConsumer<String, Slot> action) {
        scan(store(AggregatorTopology.SLOTS), prefix, action);
    }

    private static void scan(
            ReadOnlyKeyValueStore<String, Slot> store,
            String prefix,
            java.util.function.BiConsumer<String, Slot> action) {
        try (KeyValueIterator<String, Slot> it = store.prefixScan(prefix, new StringSerializer())) {
            it.forEachRemaining(kv -> action.accept(kv.key, kv.value));
        }
    }

    /**
     * The whole slots of one item of {@code benchmark} in key order, rationales included: read from the
     * stores of the local tasks, one prefix scan.
     */
    public List<Slot> slots(String benchmark, String itemId) {
        long generation = requireComplete();
        TreeMap<String, Slot> slots = new TreeMap<>();
        // Composite over the local tasks' stores, each in key order: sorted together here.
        scan(Fold.prefix(benchmark) + itemId + Fold.SEPARATOR, slots::put);
        requireUnchanged(generation);
        return new ArrayList<>(slots.values());
    }

    /** Whether {@code benchmark} has judgments. */
    public boolean has(String benchmark) {
        requireComplete();
        return tallies.has(benchmark);
    }

    /**
     * One page of {@code benchmark}'s items, empty when it has no judgments. The index (the item count and a
     * bookmark every {@code ItemIndex.EVERY} items) is taken again only when the benchmark's judgments changed
     * (at most every {@link #CONFIG_TTL_MS} while they keep changing); a page reads its items from the stores
     * from the bookmark before it.
     */
    public Optional<ItemIndex.Page> items(String benchmark, int offset, int limit) {
        long version = changes.version(benchmark);
        CachedItems hit = items.get(benchmark);
        long now = System.currentTimeMillis();
        long generation = requireComplete();
        ItemIndex.Slots slots = (from, action) -> scanFrom(benchmark, from, action);
        if (hit == null || hit.version != version && now - hit.at >= CONFIG_TTL_MS) {
            hit = new CachedItems(version, now, ItemIndex.of(Fold.prefix(benchmark), slots));
            items.put(benchmark, hit);
        }
        if (hit.index.size() == 0) {
            return Optional.empty();
        }
        ItemIndex.Page page = hit.index.page(offset, limit, slots);
        requireUnchanged(generation);
        return Optional.of(page);
    }

    /**
     * Hands {@code action} the slots of {@code benchmark} whose keys are at or after {@code from}, in key order
     * (the stores' byte order) over every local task's store, a merge of their ranges, while it returns true.
     */
    private void scanFrom(String benchmark, String from, BiPredicate<String, Slot> action) {
        // Every key of the benchmark sorts before this one: the separator's successor after its name.
        String end = benchmark + (char) (Fold.SEPARATOR.charAt(0) + 1);
        List<KeyValueIterator<String, Slot>> open = new ArrayList<>();
        PriorityQueue<Head> heads = new PriorityQueue<>();
        try {
            for (int partition : tallies.partitions()) {
                ReadOnlyKeyValueStore<String, Slot> store = streams.store(StoreQueryParameters.fromNameAndType(
                                AggregatorTopology.SLOTS, QueryableStoreTypes.<String, Slot>keyValueStore())
                        .withPartition(partition));
                KeyValueIterator<String, Slot> it = store.range(from, end);
                open.add(it);
                Head.next(it, heads);
            }
            while (!heads.isEmpty()) {
                Head h = heads.poll();
                if (!action.test(h.key, h.slot)) {
                    return;
                }
                Head.next(h.rest, heads);
            }
        } finally {
            open.forEach(KeyValueIterator::close);
        }
    }

    /** One store's next slot in {@link #scanFrom}'s merge, ordered by its key's UTF-8 bytes as the store is. */
    private record Head(String key, byte[] bytes, Slot slot, KeyValueIterator<String, Slot> rest)
            implements Comparable<Head> {
        static void next(KeyValueIterator<String, Slot> it, PriorityQueue<Head> heads) {
            if (it.hasNext()) {
                KeyValue<String, Slot> kv = it.next();
                heads.add(new Head(kv.key, kv.key.getBytes(StandardCharsets.UTF_8), kv.value, it));
            }
        }

        @Override
        public int compareTo(Head o) {
            return Arrays.compareUnsigned(bytes, o.bytes);
        }
    }

    private record CachedItems(long version, long at, ItemIndex index) {}

    /** The accuracy leaderboard of {@code benchmark}, empty when it has no judgments. */
    public Optional<LeaderboardSnapshot> accuracy(String benchmark) {
        return leaderboard(benchmark, ViewQuery.of(View.ACCURACY));
    }

    /**
     * A view of {@code benchmark}, empty when the benchmark has no judgments at all. A view is
     * recomputed only when the benchmark's judgments changed since it was last computed (REST clients,
     * SSE streams and the snapshot publisher share the result; {@code asOf} says when it was computed),
     * or the registered models or the benchmark's spec (weights, cutoffs) changed. A failing model's
     * tally that moves visibly bumps the benchmark's version. So a benchmark that stands still is
     * computed once, however long its history: a page load reads the cached view. A view the
     * benchmark's {@link io.assay.aggregator.leaderboard.BenchmarkTallies} answer ({@link TalliedViews})
     * is computed from them, in the time its models and categories take. One they would answer but for a
     * window, the post-cutoff restriction, another length penalty K or a longer stability lag is streamed:
     * the benchmark's slots, scanned twice at most, are tallied afresh ({@link StreamedViews}), in the heap
     * the tallies take; without a window, those tallies are kept and fed every write, so only their first
     * computation scans ({@link KeptStreams}, made under the tallies' lock). {@code judge-agreement} reads its labelled items ({@link LabelledItems}) and {@code irt} its
     * cells written since ({@link IrtCells}), unless filtered over time. Any other reads every slot into the heap,
     * refused above {@link #slotPathLimit}, and waits meanwhile for its share of the {@link SlotBudget}, as a
     * read of every slot into {@code irt}'s cells does. A query being computed for the same judgments, models and
     * spec is not computed twice: its other readers wait for the computation and share its answer.
     */
    public Optional<LeaderboardSnapshot> leaderboard(String benchmark, ViewQuery query) {
        return leaderboard(benchmark, query, Bounds.NONE);
    }

    /**
     * {@link #leaderboard(String, ViewQuery)} within {@code bounds}: a read of more slots at once than they allow,
     * or a wait for another reader's computation of the same query longer than they allow, is not made: {@link
     * Deferred} is thrown instead, and a reader waiting for this computation computes the view itself.
     */
    public Optional<LeaderboardSnapshot> leaderboard(String benchmark, ViewQuery query, Bounds bounds) {
        while (true) {
            long version = changes.version(benchmark);
            String key = benchmark + Fold.SEPARATOR + query;
            Cached hit = cache.get(key);
            Map<String, ModelSpec> models = models();
            BenchmarkSpec spec = spec(benchmark);
            Inputs inputs = new Inputs(version, models, spec);
            if (hit != null && hit.inputs.equals(inputs)) {
                return Optional.of(hit.snapshot);
            }
            // One computation of a query at a time for the same inputs: a reader that comes while it runs (another
            // request, the snapshot publisher) waits for it and shares its answer, or its failure.
            Computing mine = new Computing(inputs, new CompletableFuture<>());
            Computing running = computing.putIfAbsent(key, mine);
            if (running != null) {
                if (!running.inputs.equals(inputs)) {
                    return compute(benchmark, query, key, inputs, bounds);
                }
                Optional<Optional<LeaderboardSnapshot>> shared = running.await(bounds);
                if (shared.isPresent()) {
                    return shared.get();
                }
                continue; // its reader deferred it (its bounds): computed here, or shared with another's
            }
            Optional<LeaderboardSnapshot> s;
            try {
                s = compute(benchmark, query, key, inputs, bounds);
            } catch (RuntimeException | Error e) {
                // Gone before its readers learn it: one that computes it instead does not find it running.
                computing.remove(key, mine);
                mine.answer.completeExceptionally(e);
                throw e;
            }
            computing.remove(key, mine);
            mine.answer.complete(s);
            return s;
        }
    }

    /**
     * How much one computation may take of the aggregator: the most slots it reads at once (a read of every slot of
     * the benchmark: the slot path, {@code irt}'s cells made anew, a streamed view's tallies made), and how long it
     * waits for another reader's computation of the same query, or for its share of the {@link SlotBudget} ({@code
     * null}: as long as that takes). The snapshot
     * publisher's fast lane computes within bounds ({@link SnapshotPublisher}), so that a view which would read a
     * long history whole is left to its slow lane instead of holding back every other view's snapshot.
     *
     * @param slots the most slots read at once
     * @param waitAtMost the longest wait for another reader's computation or for the heap, {@code null} for no limit
     */
    public record Bounds(long slots, Duration waitAtMost) {
        /** No bounds: the requests' and the slow lane's. */
        public static final Bounds NONE = new Bounds(Long.MAX_VALUE, null);

        /** Throws {@link Deferred} when a read of {@code count} slots of {@code benchmark} is beyond the bounds. */
        void read(String benchmark, long count) {
            if (count > slots) {
                throw new Deferred(benchmark + ": a read of all its " + count + " judgments, more than " + slots);
            }
        }
    }

    /** A computation its caller's {@link Bounds} did not allow: not made, nothing read or kept for it. */
    public static final class Deferred extends RuntimeException {
        Deferred(String message) {
            super(message, null, false, false);
        }
    }

    /** {@link #leaderboard}'s computation within {@code bounds}, cached under {@code key} for {@code inputs}. */
    private Optional<LeaderboardSnapshot> compute(
            String benchmark, ViewQuery query, String key, Inputs inputs, Bounds bounds) {
        long generation = requireComplete();
        Leaderboards.Context context = context(benchmark);
        Instant now = clock.instant();
        // The incremental views answer from the tallies in the time the models and categories take; the
        // others (and filters defined over time) need every slot of the benchmark.
        // The store is looked up here, before the tallies' lock is taken.
        ReadOnlyKeyValueStore<String, Slot> store = store(AggregatorTopology.SLOTS);
        ItemSlots stored = itemSlots(store);
        IrtCells.Cache cells = query.view() == View.IRT ? irtCaches.of(benchmark, query) : null;
        IrtCells.Position since = cells == null ? null : cells.position();
        Tallied tallied = tallies.tallied(benchmark, t -> {
            Optional<LeaderboardSnapshot> snapshot = TalliedViews.build(benchmark, t, stored, context, query, now);
            Optional<StreamedViews.Counted> streamed = snapshot.isPresent()
                    ? Optional.empty()
                    : StreamedViews.counted(benchmark, t, stored, context, query, now);
            if (streamed.isPresent() && KeptStreams.keeps(query, context)) {
                // Kept in step with the writes, under this lock: made from the store's slots at its first read.
                snapshot = t.kept()
                        .build(
                                benchmark,
                                streamed.get(),
                                context,
                                query,
                                now,
                                action -> {
                                    bounds.read(benchmark, t.slots());
                                    scan(store, Fold.prefix(benchmark), action);
                                },
                                stored);
                streamed = Optional.empty();
            }
            return new Tallied(
                    t.slots(),
                    snapshot,
                    streamed,
                    snapshot.isPresent() ? Optional.empty() : LabelledItems.plan(t, query),
                    snapshot.isPresent() || cells == null ? Optional.empty() : IrtCells.plan(t, context, query, since));
        });
        if (tallied.slots == 0 && context.tallies().isEmpty()) {
            requireUnchanged(generation);
            return Optional.empty();
        }
        // A benchmark whose models all failed has no slots but a leaderboard: its failing list.
        LeaderboardSnapshot s = tallied.snapshot
                .or(() -> tallied.streamed.flatMap(counted -> StreamedViews.build(
                        benchmark,
                        counted,
                        context,
                        query,
                        now,
                        action -> {
                            bounds.read(benchmark, tallied.slots);
                            scan(Fold.prefix(benchmark), action);
                        },
                        stored)))
                .or(() -> tallied.labelled.map(plan -> labelled(benchmark, plan, context, query, now, bounds)))
                .or(() -> tallied.irt.map(plan -> irt(benchmark, plan, cells, context, query, now, bounds)))
                .orElseGet(() -> fromSlots(benchmark, context, query, now, bounds));
        requireUnchanged(generation);
        if (cache.size() > 1000) {
            // Many distinct queries (windows, baselines): start over rather than grow without bound.
            cache.clear();
        }
        cache.put(key, new Cached(inputs, s));
        return Optional.of(s);
    }

    /** How many times {@link #labelled} plans and reads before it reads every slot instead. */
    static final int LABELLED_TRIES = 3;

    /**
     * A view from the tallies, else what a streamed view counts ({@link StreamedViews}), else neither; and what
     * {@code judge-agreement} reads of the labelled items ({@link LabelledItems}), when it may; and what {@code irt}
     * reads of its cells ({@link IrtCells}), when it may.
     */
    private record Tallied(
            long slots,
            Optional<LeaderboardSnapshot> snapshot,
            Optional<StreamedViews.Counted> streamed,
            Optional<LabelledItems.Plan> labelled,
            Optional<IrtCells.Plan> irt) {}

    /**
     * {@code irt} from the cells of {@code cells} (those written since its last computation given their counts by the
     * plan's journal, or one scan of every slot, {@link IrtCells.Cache}), outside the tallies' lock. A write during a
     * scan is taken again from the journal on the next computation (the plan's sequence number was taken before), as
     * a judgment that came a moment later; a judge re-versioned meanwhile is counted at its new version then.
     */
    private LeaderboardSnapshot irt(
            String benchmark,
            IrtCells.Plan plan,
            IrtCells.Cache cells,
            Leaderboards.Context context,
            ViewQuery query,
            Instant now,
            Bounds bounds) {
        ReadOnlyKeyValueStore<String, Slot> store = store(AggregatorTopology.SLOTS);
        long limit = irtCellLimit;
        // A read of every slot builds the cells anew: its share of the budget (a slot's for every
        // IRT_CELLS_PER_SLOT verdicts) is held from the scan to the end of the build.
        SlotBudget.Share[] held = new SlotBudget.Share[1];
        try {
            LeaderboardSnapshot s = cells.build(
                    benchmark,
                    plan,
                    action -> {
                        if (held[0] == null) {
                            bounds.read(benchmark, plan.judgments());
                            held[0] = budget.take(plan.judgments() / IRT_CELLS_PER_SLOT, bounds.waitAtMost());
                            metrics.heapWaited(View.IRT, held[0].waitedNanos());
                        }
                        scan(store, Fold.prefix(benchmark), action);
                    },
                    limit,
                    count -> new TooManySlotsException(benchmark, count, limit, irtLimitSource),
                    context,
                    query,
                    now);
            irtCaches.bound(cells);
            return s;
        } finally {
            if (held[0] != null) {
                held[0].close();
            }
        }
    }

    /**
     * {@code judge-agreement} from the slots of the labelled items of {@code plan} (a prefix scan each of those
     * written since the last computation, {@link LabelledItems.Cache}), read outside the tallies' lock. The versions
     * the plan took are checked again after the scan: when a model judge's current version moved meanwhile (it was
     * re-versioned), the slots may hold verdicts the plan's versions do not describe, so the view is planned and read
     * again, up to {@value #LABELLED_TRIES} times, then read from every slot. Items labelled meanwhile are read on
     * the next computation, as a label that came a moment later.
     */
    private LeaderboardSnapshot labelled(
            String benchmark,
            LabelledItems.Plan plan,
            Leaderboards.Context context,
            ViewQuery query,
            Instant now,
            Bounds bounds) {
        ReadOnlyKeyValueStore<String, Slot> store = store(AggregatorTopology.SLOTS);
        LabelledItems.Cache parts = labelledCaches.of(benchmark, query);
        long limit = slotPathLimit;
        LabelledItems.Plan current = plan;
        for (int attempt = 1; attempt <= LABELLED_TRIES; attempt++) {
            LeaderboardSnapshot s = parts.build(
                    benchmark,
                    current,
                    (item, action) -> scan(store, item, (key, slot) -> action.accept(slot)),
                    limit,
                    () -> TooManySlotsException.labelled(benchmark, limit, limitSource),
                    context,
                    query,
                    now);
            Optional<LabelledItems.Plan> after = tallies.tallied(benchmark, t -> LabelledItems.plan(t, query));
            if (after.isEmpty()) {
                break;
            }
            if (after.get().versions().equals(current.versions())) {
                labelledCaches.bound(parts);
                return s;
            }
            current = after.get();
        }
        return fromSlots(benchmark, context, query, now, bounds);
    }

    /**
     * An item and model's slots from {@code store}, the local stores, for the tallied views to read under the
     * tallies' lock (the store is looked up before it is taken).
     */
    private static ItemSlots itemSlots(ReadOnlyKeyValueStore<String, Slot> store) {
        return prefix -> {
            List<Slot> out = new ArrayList<>();
            scan(store, prefix, (key, slot) -> out.add(slot));
            return out;
        };
    }

    /** What a view is a function of besides its query: the benchmark's judgments' version, the models, its spec. */
    private record Inputs(long version, Map<String, ModelSpec> models, BenchmarkSpec spec) {}

    private record Cached(Inputs inputs, LeaderboardSnapshot snapshot) {}

    /** A computation of {@link #leaderboard} running for {@code inputs}; its readers wait on {@code answer}. */
    private record Computing(Inputs inputs, CompletableFuture<Optional<LeaderboardSnapshot>> answer) {

        /**
         * The computation's answer once it ends, or what it threw; empty when its reader deferred it ({@link
         * Deferred}). Waits at most {@code bounds}' wait, then throws {@link Deferred}.
         */
        Optional<Optional<LeaderboardSnapshot>> await(Bounds bounds) {
            try {
                return Optional.of(
                        bounds.waitAtMost() == null
                                ? answer.get()
                                : answer.get(bounds.waitAtMost().toNanos(), TimeUnit.NANOSECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InvalidStateStoreException("interrupted while waiting for the same view's computation");
            } catch (TimeoutException e) {
                throw new Deferred("computed by another reader for longer than "
                        + bounds.waitAtMost().toMillis() + " ms");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Deferred) {
                    return Optional.empty();
                }
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    /** The evaluation calls of {@code modelId} on {@code benchmark} (cost, latency, answers). */
    public List<Call> calls(String benchmark, String modelId) {
        List<Call> out = new ArrayList<>();
        ReadOnlyKeyValueStore<String, Call> store = store(AggregatorTopology.CALLS);
        try (KeyValueIterator<String, Call> it =
                store.prefixScan(benchmark + Fold.SEPARATOR + modelId + Fold.SEPARATOR, new StringSerializer())) {
            it.forEachRemaining(kv -> out.add(kv.value));
        }
        return out;
    }

    /** One evaluation call, {@code null} when unknown. */
    public Call call(String benchmark, String modelId, String requestId) {
        return requestId == null
                ? null
                : this.<Call>store(AggregatorTopology.CALLS).get(Call.key(benchmark, modelId, requestId));
    }

    /** The item as last published on {@code assay.items} (its latest revision), empty when unknown. */
    public Optional<BenchmarkItem> item(String benchmark, String itemId) {
        return Optional.ofNullable(
                this.<BenchmarkItem>store(AggregatorTopology.ITEMS).get(ItemStoreProcessor.key(benchmark, itemId)));
    }

    /** What the views know of {@code benchmark} besides its slots. */
    public Leaderboards.Context context(String benchmark) {
        return new Leaderboards.Context(models(), spec(benchmark), tallies(benchmark));
    }

    /** How each model's evaluation calls on {@code benchmark} ended, by modelId (its tallies only). */
    public Map<String, CallTally> tallies(String benchmark) {
        Map<String, CallTally> out = new TreeMap<>();
        ReadOnlyKeyValueStore<String, CallTally> store = store(AggregatorTopology.TALLIES);
        String prefix = benchmark + Fold.SEPARATOR;
        try (KeyValueIterator<String, CallTally> it = store.prefixScan(prefix, new StringSerializer())) {
            it.forEachRemaining(kv -> out.merge(kv.key.substring(prefix.length()), kv.value, CallTally::plus));
        }
        return out;
    }

    /**
     * How every model's evaluation calls ended, by benchmark then model: the per-partition tallies
     * summed (a benchmark's responses are spread over partitions by item). A few entries per benchmark
     * and model, never a scan of the calls.
     */
    public Map<String, Map<String, CallTally>> tallies() {
        Map<String, Map<String, CallTally>> out = new TreeMap<>();
        ReadOnlyKeyValueStore<String, CallTally> store = store(AggregatorTopology.TALLIES);
        // The store is composite over local tasks: the same key comes once per partition that has it.
        try (KeyValueIterator<String, CallTally> it = store.all()) {
            it.forEachRemaining(kv -> {
                int cut = kv.key.indexOf(Fold.SEPARATOR);
                out.computeIfAbsent(kv.key.substring(0, cut), b -> new TreeMap<>())
                        .merge(kv.key.substring(cut + 1), kv.value, CallTally::plus);
            });
        }
        return out;
    }

    /** Every registered model. */
    public Map<String, ModelSpec> models() {
        return registry.models();
    }

    /** The benchmark's spec, {@code null} when it is not registered. */
    public BenchmarkSpec spec(String benchmark) {
        return registry.registered(benchmark).orElse(null);
    }

    /**
     * Throws unless the state is complete; returns the tallies' generation, to check with
     * {@link #requireUnchanged} once read.
     */
    private long requireComplete() {
        // KafkaStreams.store throws IllegalStateException once it is shutting down or has failed;
        // to callers that is the same "not queryable now" as a rebalance.
        long generation = tallies.generation();
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            throw new InvalidStateStoreException("Kafka Streams is " + state);
        }
        Set<Integer> assigned = new TreeSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                task.topicPartitions().stream()
                        .filter(tp -> tp.topic().equals(Topics.JUDGMENTS.name()))
                        .forEach(tp -> assigned.add(tp.partition()));
            }
        }
        Set<Integer> present = tallies.partitions();
        if (!present.containsAll(assigned)) {
            assigned.removeAll(present);
            throw new InvalidStateStoreException("judgments partitions " + assigned + " are still restoring");
        }
        return generation;
    }

    /** Throws when a partition was filled or dropped since {@code generation}: what was read may be partial. */
    private void requireUnchanged(long generation) {
        if (tallies.generation() != generation || streams.state() != KafkaStreams.State.RUNNING) {
            throw new InvalidStateStoreException("tasks moved while the leaderboard was read");
        }
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        requireComplete();
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
    }
}
