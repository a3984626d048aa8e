package io.assay.aggregator.messaging;

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
import java.util.Arrays;
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
 * plan, a prefix scan per labelled item, the view over those slots). The slots are held encoded by the {@code
 * slots} store's serde in a sorted map and decoded as a read hands them over (the RocksDB read itself is not
 * included). Both snapshots are checked equal; prints the median wall time of each (3 runs before, 9 after).
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
            String itemId = String.format("q%05d", item);
            for (int m = 0; m < MODELS; m++) {
                long n = (long) item * MODELS + m;
                // The judge is re-versioned halfway; its newest verdicts are on unlabelled items.
                String version = item >= ITEMS / 2 ? "2" : "1";
                boolean labelled = item % every == 0 && m < 5;
                List<Slot> others = new ArrayList<>();
                for (Slot s : labelled
                        ? List.of(
                                verdict(itemId, m, "j1", version, n, false),
                                verdict(itemId, m, "human:ana", "1", n, true))
                        : List.of(verdict(itemId, m, "j1", version, n, false))) {
                    String key = String.join(
                            Fold.SEPARATOR, BENCHMARK, itemId, "m" + m, "plain", s.judgeId(), s.judgeVersion());
                    store.put(key, ENCODE.serialize("slots", s));
                    tallies.replace(0, key, null, s, others);
                    others.add(s);
                    verdicts += s.human() ? 0 : 1;
                }
            }
        }
        ViewQuery query = ViewQuery.of(View.JUDGE_AGREEMENT);
        long[] before = new long[3];
        LeaderboardSnapshot all = null;
        for (int i = 0; i < before.length; i++) {
            long t0 = System.nanoTime();
            List<Slot> slots = ViewSlots.read(
                    action -> store.forEach((k, v) -> action.accept(k, DECODE.deserialize("slots", v))), s -> true);
            all = Leaderboards.build(BENCHMARK, slots, CTX, query, AT);
            before[i] = System.nanoTime() - t0;
        }
        long[] after = new long[9];
        LeaderboardSnapshot labelled = null;
        for (int i = 0; i < after.length; i++) {
            long t0 = System.nanoTime();
            LabelledItems.Plan plan = LabelledItems.plan(tallies, query).orElseThrow();
            List<Slot> slots = ViewSlots.read(
                    action -> plan.items().forEach(prefix -> {
                        for (Map.Entry<String, byte[]> e :
                                store.tailMap(prefix, true).entrySet()) {
                            if (!e.getKey().startsWith(prefix)) {
                                break;
                            }
                            action.accept(e.getKey(), DECODE.deserialize("slots", e.getValue()));
                        }
                    }),
                    s -> true);
            labelled = LabelledItems.build(BENCHMARK, plan, slots, CTX, query, AT);
            after[i] = System.nanoTime() - t0;
        }
        assertThat(labelled).isEqualTo(all);
        System.out.printf(
                "judge-agreement, %,d verdicts of %d models, %,d labels on %,d items: before %s ms, after %s ms (%s)%n",
                verdicts,
                MODELS,
                labelled.params().get("humanLabels"),
                labelledItems,
                median(before),
                median(after),
                labelled.rows().isEmpty()
                        ? "no rows"
                        : "n " + labelled.rows().get(0).n());
    }

    private static String median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("%.1f", sorted[sorted.length / 2] / 1e6);
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
