package io.assay.aggregator.messaging;

import static io.assay.aggregator.messaging.InProcessBench.heapAfterGc;
import static io.assay.aggregator.messaging.InProcessBench.median;
import static io.assay.aggregator.messaging.InProcessBench.now;
import static io.assay.aggregator.messaging.InProcessBench.since;
import static org.assertj.core.api.Assertions.assertThat;

import io.assay.aggregator.leaderboard.BenchmarkTallies;
import io.assay.aggregator.leaderboard.Fold;
import io.assay.aggregator.leaderboard.LabelledItems;
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
 * {@code judge-agreement} over 1,000,000 reference verdicts of 100 models (10,000 items; the judge re-versioned
 * halfway, its newest verdicts on unlabelled items) with a human's labels on 5 models' answers to each of
 * {@code -Dassay.bench.labelled} items (default 100 and 1,000), computed the way the reader did before (every slot
 * of the benchmark read, then {@link Leaderboards#build}) and as it does now ({@link LabelledItems}: the tallies'
 * plan, a prefix scan per labelled item written since the last computation, the view from the items' parts kept in
 * a {@link LabelledItems.Cache}): the first computation (every labelled item read), then again with nothing
 * written, then after each of five rounds of 300 judgments (a new model's verdicts on 270 unlabelled items and on 30
 * labelled ones, labelled too). The slots are held encoded by the {@code slots} store's serde in a sorted map and
 * decoded as a read hands them over (the RocksDB read itself is not included). The snapshots are checked equal to
 * the slot path's; prints the median wall and CPU time (this thread's) of each (3 runs of every slot and of the
 * first computation, 9 with nothing written, 5 after writes).
 * {@code ./mvnw -o -q test -pl services/aggregator -am -Dtest=JudgeAgreementBenchmark -Dassay.bench=judge-agreement
 * -DargLine="-Xmx3g" -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "assay.bench", matches = "judge-agreement")
class JudgeAgreementBenchmark {
    private static final String BENCHMARK = "mmlu-pro";
    private static final int MODELS = 100;
    private static final int ITEMS = 10_000;
    private static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");
    private static final Serializer<Slot> ENCODE = new JsonStoreSerde<>(Slot.class).serializer();
    private static final Deserializer<Slot> DECODE = new JsonStoreSerde<>(Slot.class).deserializer();
    private static final Leaderboards.Context CTX = new Leaderboards.Context(Map.of(), null);

    @Test
    void beforeAndAfter() {
        for (String n : System.getProperty("assay.bench.labelled", "100,1000").split(",")) {
            run(Integer.parseInt(n.trim()));
        }
    }

    private static void run(int labelledItems) {
        TreeMap<String, byte[]> store = new TreeMap<>();
        BenchmarkTallies tallies = new BenchmarkTallies();
        int every = ITEMS / labelledItems;
        long verdicts = 0;
        for (int item = 0; item < ITEMS; item++) {
            for (int m = 0; m < MODELS; m++) {
                long n = (long) item * MODELS + m;
                // The judge is re-versioned halfway; its newest verdicts are on unlabelled items.
                verdicts +=
                        write(store, tallies, item, m, item >= ITEMS / 2 ? "2" : "1", n, item % every == 0 && m < 5);
            }
        }
        ViewQuery query = ViewQuery.of(View.JUDGE_AGREEMENT);
        long[][] before = new long[2][3];
        LeaderboardSnapshot all = null;
        for (int i = 0; i < before[0].length; i++) {
            long[] t0 = now();
            all = everySlot(store, query);
            since(t0, before, i);
        }
        // The first computation: every labelled item read (a fresh cache each time).
        long[][] first = new long[2][3];
        LeaderboardSnapshot labelled = null;
        for (int i = 0; i < first[0].length; i++) {
            LabelledItems.Cache cache = new LabelledItems.Cache();
            long[] t0 = now();
            labelled = labelledItems(store, tallies, cache, query);
            since(t0, first, i);
        }
        assertThat(labelled).isEqualTo(all);
        // Then with one cache: nothing written between computations, then a few hundred judgments between each.
        long heap = heapAfterGc();
        LabelledItems.Cache cache = new LabelledItems.Cache();
        labelledItems(store, tallies, cache, query);
        long cacheHeap = heapAfterGc() - heap;
        long[][] warm = new long[2][9];
        for (int i = 0; i < warm[0].length; i++) {
            long[] t0 = now();
            labelled = labelledItems(store, tallies, cache, query);
            since(t0, warm, i);
        }
        assertThat(labelled).isEqualTo(all);
        long[][] written = new long[2][5];
        long rescanned = 0;
        long next = (long) ITEMS * MODELS;
        for (int i = 0; i < written[0].length; i++) {
            // 300 judgments: a new model's verdicts on 270 unlabelled items and on 30 labelled ones (labelled too).
            for (int j = 0; j < 300; j++) {
                int item = j < 270 ? 1 + j * (ITEMS / 300) : (i * 30 + j - 270) * every % ITEMS;
                item += item % every == 0 && j < 270 ? 1 : 0;
                verdicts += write(store, tallies, item, MODELS + i, "2", next++, j >= 270);
            }
            long[] t0 = now();
            labelled = labelledItems(store, tallies, cache, query);
            since(t0, written, i);
            rescanned += cache.scanned();
        }
        assertThat(labelled).isEqualTo(everySlot(store, query));
        System.out.printf(
                "judge-agreement, %,d verdicts, %,d labels on %,d items (%s): every slot %s; labelled items first %s;"
                        + " kept, nothing written %s; kept, 300 judgments written before each (%d items read again)"
                        + " %s; cache %,d bytes estimated, %,d measured after its first computation%n",
                verdicts,
                labelled.params().get("humanLabels"),
                labelledItems,
                labelled.rows().isEmpty()
                        ? "no rows"
                        : "n " + labelled.rows().get(0).n(),
                median(before),
                median(first),
                median(warm),
                rescanned / written[0].length,
                median(written),
                cache.bytes(),
                cacheHeap);
    }

    /**
     * Writes model {@code m}'s verdict on {@code item} (and with {@code labelled} a human's label of it) into the
     * store and the tallies, as the fold does; the verdicts of model judges written.
     */
    private static int write(
            TreeMap<String, byte[]> store,
            BenchmarkTallies tallies,
            int item,
            int m,
            String version,
            long n,
            boolean labelled) {
        String itemId = String.format("q%05d", item);
        List<Slot> others = new ArrayList<>();
        int verdicts = 0;
        for (Slot s : labelled
                ? List.of(verdict(itemId, m, "j1", version, n, false), verdict(itemId, m, "human:ana", "1", n, true))
                : List.of(verdict(itemId, m, "j1", version, n, false))) {
            String key =
                    String.join(Fold.SEPARATOR, BENCHMARK, itemId, "m" + m, "plain", s.judgeId(), s.judgeVersion());
            store.put(key, ENCODE.serialize("slots", s));
            tallies.replace(0, key, null, s, others);
            others.add(s);
            verdicts += s.human() ? 0 : 1;
        }
        return verdicts;
    }

    /** What the reader did before: every slot read, then {@link Leaderboards#build}. */
    private static LeaderboardSnapshot everySlot(TreeMap<String, byte[]> store, ViewQuery query) {
        List<Slot> slots = ViewSlots.read(
                action -> store.forEach((k, v) -> action.accept(k, DECODE.deserialize("slots", v))), s -> true);
        return Leaderboards.build(BENCHMARK, slots, CTX, query, AT);
    }

    /** What the reader does: the tallies' plan, then the labelled items through {@code cache}. */
    private static LeaderboardSnapshot labelledItems(
            TreeMap<String, byte[]> store, BenchmarkTallies tallies, LabelledItems.Cache cache, ViewQuery query) {
        LabelledItems.Plan plan = LabelledItems.plan(tallies, query).orElseThrow();
        return cache.build(
                BENCHMARK,
                plan,
                (prefix, action) -> store.subMap(prefix, prefix + Character.MAX_VALUE)
                        .values()
                        .forEach(v -> action.accept(DECODE.deserialize("slots", v))),
                Long.MAX_VALUE,
                IllegalStateException::new,
                CTX,
                query,
                AT);
    }

    /** A reference verdict as the fold keeps it: 32-hex ids, a category, a short rationale. */
    private static Slot verdict(String itemId, int model, String judge, String version, long n, boolean human) {
        return new Slot(
                Ids.hash("judgment", itemId, judge, Long.toString(n)),
                1,
                (n * 7 + (human ? model : 0)) % 3 != 0,
                "math",
                false,
                itemId,
                "m" + model,
                JudgmentKind.CORRECT,
                "plain",
                judge,
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
                version,
                null,
                null,
                null,
                null,
                human,
                null);
    }
}
