package io.assay.aggregator.messaging;

import static io.assay.aggregator.messaging.InProcessBench.heapAfterGc;
import static io.assay.aggregator.messaging.InProcessBench.median;
import static io.assay.aggregator.messaging.InProcessBench.now;
import static io.assay.aggregator.messaging.InProcessBench.since;
import static org.assertj.core.api.Assertions.assertThat;

import io.assay.aggregator.leaderboard.BenchmarkTallies;
import io.assay.aggregator.leaderboard.Fold;
import io.assay.aggregator.leaderboard.IrtCells;
import io.assay.aggregator.leaderboard.Leaderboards;
import io.assay.aggregator.leaderboard.Slot;
import io.assay.aggregator.leaderboard.View;
import io.assay.aggregator.leaderboard.ViewQuery;
import io.assay.aggregator.leaderboard.ViewSlots;
import io.assay.contracts.Ids;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.LeaderboardSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * {@code irt} over 1,000,000 reference verdicts of 100 models (10,000 items, one variant each), computed the way the
 * reader did before (every slot of the benchmark read, then {@link Leaderboards#build}: 3 runs) and as it does now
 * ({@link IrtCells}: the tallies' plan, then the cells): the first computation (every slot read into a fresh cache:
 * 3 runs), then with one cache after each of 5 rounds of {@code -Dassay.bench.written} new judgments (default none, 300 and
 * 3,000: new items each evaluated by 10 of the models, the LiveXiv pattern, their prefixes' counts taken from the journal). Every
 * computation fits Rasch warm-started as the reader does (the view's builder keeps the last fit of the board), with
 * the default stability tau (a second fit). The slots are held encoded by the {@code slots} store's serde in a sorted
 * map and decoded as a read hands them over (the RocksDB read itself is not included). The snapshots are checked
 * equal to the slot path's; prints the median wall and CPU time and bytes allocated (this thread's) of each, the
 * cells' heap estimated and measured (the live heap after a full collection before and after a first computation).
 * {@code ./mvnw -o -q test -pl services/aggregator -am -Dtest=IrtCellsBenchmark -Dassay.bench=irt-cells
 * -DargLine="-Xmx3g" -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "assay.bench", matches = "irt-cells")
class IrtCellsBenchmark {
    private static final String BENCHMARK = "mmlu-pro";
    private static final int MODELS = 100;
    private static final int ITEMS = 10_000;
    private static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");
    private static final Serializer<Slot> ENCODE = new JsonStoreSerde<>(Slot.class).serializer();
    private static final Deserializer<Slot> DECODE = new JsonStoreSerde<>(Slot.class).deserializer();
    private static final Leaderboards.Context CTX = new Leaderboards.Context(Map.of(), null);

    @Test
    void beforeAndAfter() {
        TreeMap<String, byte[]> store = new TreeMap<>();
        BenchmarkTallies tallies = new BenchmarkTallies();
        long n = 0;
        for (int item = 0; item < ITEMS; item++) {
            for (int m = 0; m < MODELS; m++) {
                write(store, tallies, item, m, n++);
            }
        }
        ViewQuery query = ViewQuery.of(View.IRT);
        long[][] before = new long[3][3];
        LeaderboardSnapshot all = null;
        for (int i = 0; i < before[0].length; i++) {
            long[] t0 = now();
            all = everySlot(store, query);
            since(t0, before, i);
        }
        long[][] first = new long[3][3];
        LeaderboardSnapshot cells = null;
        IrtCells.Cache cache = null;
        for (int i = 0; i < first[0].length; i++) {
            cache = new IrtCells.Cache();
            long[] t0 = now();
            cells = cells(store, tallies, cache, query);
            since(t0, first, i);
        }
        assertThat(cells).isEqualTo(all);
        cache = null;
        long heap = heapAfterGc();
        cache = new IrtCells.Cache();
        cells(store, tallies, cache, query);
        long cacheHeap = heapAfterGc() - heap;
        System.out.printf(
                "irt, %,d verdicts, %d models, %,d items: every slot %s; cells, first computation %s; cells %,d bytes"
                        + " estimated, %,d measured after the first computation%n",
                n, MODELS, ITEMS, median(before), median(first), cache.bytes(), cacheHeap);
        int item = ITEMS;
        for (String w : System.getProperty("assay.bench.written", "0,300,3000").split(",")) {
            int written = Integer.parseInt(w.trim());
            long[][] after = new long[3][5];
            long read = 0;
            for (int i = 0; i < after[0].length; i++) {
                // New items, each evaluated by 10 of the models.
                for (int j = 0; j < written; j++, n++) {
                    write(store, tallies, item + j / 10, (int) ((item + j / 10) * 7L + j % 10 * 10) % MODELS, n);
                }
                item += (written + 9) / 10;
                long[] t0 = now();
                cells = cells(store, tallies, cache, query);
                since(t0, after, i);
                read += cache.scanned();
            }
            assertThat(cells).isEqualTo(everySlot(store, query));
            System.out.printf(
                    "irt, %,d judgments written before each computation (%d prefixes from the journal): cells %s%n",
                    written, read / after[0].length, median(after));
        }
    }

    /**
     * {@code irt} from its cells alone, to see that a computation fits the chart's heap: {@code
     * -Dassay.bench.verdicts} (default 1,000,000) reference verdicts of 100 models, no slot path and no store in the
     * heap (each slot made as a read asks for it, already decoded: a RocksDB read holds none either), the first
     * computation (every slot read into a fresh cache), then 5 after 300 new judgments each; prints the live heap
     * after a full collection before (the tallies) and after, the peak heap after any GC during the computations (an
     * upper bound of the live peak: a young collection leaves the old generation's garbage in) and the medians. {@code
     * ./mvnw -o -q test -pl services/aggregator -am -Dtest=IrtCellsBenchmark#inTheChartsHeap -Dassay.bench=irt-cells
     * -DargLine="-Xmx384m -XX:+UseSerialGC" -Dsurefire.failIfNoSpecifiedTests=false}.
     */
    @Test
    void inTheChartsHeap() throws InterruptedException {
        int items = Integer.getInteger("assay.bench.verdicts", 1_000_000) / MODELS;
        BenchmarkTallies tallies = new BenchmarkTallies();
        for (int item = 0; item < items; item++) {
            for (int m = 0; m < MODELS; m++) {
                tallies.replace(0, key(item, m), null, made(item, m), new ArrayList<>());
            }
        }
        TreeMap<String, Slot> written = new TreeMap<>();
        ViewQuery query = ViewQuery.of(View.IRT);
        IrtCells.Cache cache = new IrtCells.Cache();
        long before = heapAfterGc();
        InProcessBench.PeakAfterGc peak = new InProcessBench.PeakAfterGc();
        long[][] first = new long[3][1];
        long[] t0 = now();
        LeaderboardSnapshot snapshot = made(tallies, cache, query, items, written);
        since(t0, first, 0);
        long[][] after = new long[3][5];
        long n = (long) items * MODELS;
        int item = items;
        for (int i = 0; i < after[0].length; i++) {
            for (int j = 0; j < 300; j++, n++) {
                int at = item + j / 10;
                int m = (int) ((at * 7L + j % 10 * 10) % MODELS);
                Slot s = verdict(String.format("q%05d", at), m, n);
                tallies.replace(0, key(at, m), written.put(key(at, m), s), s, new ArrayList<>());
            }
            item += 30;
            t0 = now();
            snapshot = made(tallies, cache, query, items, written);
            since(t0, after, i);
        }
        long peakAfterGc = peak.stop();
        assertThat(snapshot.rows()).hasSize(MODELS);
        System.out.printf(
                "irt from its cells, %,d verdicts, max heap %.1f MiB: live before %.1f MiB (the tallies), after %.1f MiB"
                        + " (cells %,d bytes estimated); peak after a GC %.1f MiB; first computation %s; after 300"
                        + " judgments %s%n",
                (long) items * MODELS,
                Runtime.getRuntime().maxMemory() / 1048576.0,
                before / 1048576.0,
                heapAfterGc() / 1048576.0,
                cache.bytes(),
                peakAfterGc / 1048576.0,
                median(first),
                median(after));
    }

    private static String key(int item, int m) {
        return String.join(Fold.SEPARATOR, BENCHMARK, String.format("q%05d", item), "m" + m, "plain", "j1", "1");
    }

    /** Model {@code m}'s first verdict on {@code item}, made again as a read asks for it. */
    private static Slot made(int item, int m) {
        return verdict(String.format("q%05d", item), m, (long) item * MODELS + m);
    }

    /** The view through {@code cache}, the first {@code items} items' slots made as read, the others {@code written}. */
    private static LeaderboardSnapshot made(
            BenchmarkTallies tallies, IrtCells.Cache cache, ViewQuery query, int items, TreeMap<String, Slot> written) {
        IrtCells.Plan plan =
                IrtCells.plan(tallies, CTX, query, cache.position()).orElseThrow();
        return cache.build(
                BENCHMARK,
                plan,
                action -> {
                    for (int item = 0; item < items; item++) {
                        for (int m = 0; m < MODELS; m++) {
                            action.accept(key(item, m), made(item, m));
                        }
                    }
                    written.forEach(action);
                },
                Long.MAX_VALUE,
                count -> new IllegalStateException("refused: " + count),
                CTX,
                query,
                AT);
    }

    /** Writes model {@code m}'s verdict on {@code item} into the store and the tallies, as the fold does. */
    private static void write(TreeMap<String, byte[]> store, BenchmarkTallies tallies, int item, int m, long n) {
        String itemId = String.format("q%05d", item);
        Slot s = verdict(itemId, m, n);
        String key = String.join(Fold.SEPARATOR, BENCHMARK, itemId, "m" + m, "plain", "j1", "1");
        byte[] old = store.put(key, ENCODE.serialize("slots", s));
        tallies.replace(0, key, old == null ? null : DECODE.deserialize("slots", old), s, new ArrayList<>());
    }

    /** What the reader did before: every slot read, then {@link Leaderboards#build}. */
    private static LeaderboardSnapshot everySlot(TreeMap<String, byte[]> store, ViewQuery query) {
        List<Slot> slots = ViewSlots.read(
                action -> store.forEach((k, v) -> action.accept(k, DECODE.deserialize("slots", v))), s -> true);
        return Leaderboards.build(BENCHMARK, slots, CTX, query, AT);
    }

    /** What the reader does: the tallies' plan, then the cells through {@code cache}. */
    private static LeaderboardSnapshot cells(
            TreeMap<String, byte[]> store, BenchmarkTallies tallies, IrtCells.Cache cache, ViewQuery query) {
        IrtCells.Plan plan =
                IrtCells.plan(tallies, CTX, query, cache.position()).orElseThrow();
        return cache.build(
                BENCHMARK,
                plan,
                action -> store.forEach((k, v) -> action.accept(k, DECODE.deserialize("slots", v))),
                Long.MAX_VALUE,
                count -> new IllegalStateException("refused: " + count),
                CTX,
                query,
                AT);
    }

    /** A reference verdict as the fold keeps it: 32-hex ids, a category, a short rationale. */
    private static Slot verdict(String itemId, int model, long n) {
        // Model m is right on an item about as often as its rank says, the items of varied difficulty.
        boolean correct = Math.floorMod(itemId.hashCode() * 31L + n * 17, 100) < 20 + model * 0.6;
        return new Slot(
                Ids.hash("judgment", itemId, "j1", Long.toString(n)),
                1,
                correct,
                "math",
                false,
                itemId,
                "m" + model,
                JudgmentKind.CORRECT,
                "plain",
                "j1",
                null,
                null,
                null,
                900,
                null,
                false,
                null,
                AT,
                AT.plusSeconds(n),
                Ids.hash("req", itemId, Integer.toString(model)),
                "extracted answer: B",
                null,
                null,
                List.of("math"),
                "1",
                null,
                null,
                null,
                null,
                false,
                null);
    }
}
