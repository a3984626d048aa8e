package io.assay.aggregator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.aggregator.leaderboard.Fold;
import io.assay.aggregator.leaderboard.Judgments;
import io.assay.aggregator.leaderboard.Slot;
import io.assay.contracts.EventType;
import io.assay.contracts.Json;
import io.assay.contracts.Judgment;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Provider;
import io.assay.contracts.Topics;
import io.assay.kit.config.ConfigRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The fold's CPU per judgment as the aggregator's stream thread spends it (parsing, {@link Fold}, the {@code slots}
 * store in RocksDB through {@link StreamsFoldStore}, without the changelog and commits, the tallies), in the calling
 * thread, with and without declared pairs: {@code
 * none} (no registry, no model declares a previous version: what main's fold does, the {@code others} scan
 * only), {@code chain} (m1 follows m0, ..., m99 follows m98: at a reference write each model scans its partners'
 * slots on the item, two prefix scans) and {@code elsewhere} (the same specs, but the benchmark's models are
 * others: no partner). Reference verdicts of 100 models, each item judged for {@code assay.bench.per-item}
 * consecutive models (10, or 100: every model), one variant. The arms alternate, each in a fresh driver and
 * store, {@code assay.bench.rounds} times; the first {@code assay.bench.warmup} judgments of each are not
 * measured. Thread CPU, not wall time (a shared machine). Not a test: run it by name, {@code -Dtest=FoldCostBenchmark}.
 */
class FoldCostBenchmark {
    private static final int MODELS = 100;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    @Test
    void foldCpuPerJudgmentWithAndWithoutDeclaredPairs() throws Exception {
        int perItem = Integer.getInteger("assay.bench.per-item", 10);
        int judgments = Integer.getInteger("assay.bench.judgments", 60_000);
        int warmup = Integer.getInteger("assay.bench.warmup", 20_000);
        int rounds = Integer.getInteger("assay.bench.rounds", 3);
        List<byte[]> bench = values("b", "m", perItem, judgments);
        List<byte[]> elsewhere = values("b", "x", perItem, judgments);
        System.out.printf(
                "fold CPU per judgment, %d models, %d per item, %,d judgments (%,d measured)%n",
                MODELS, perItem, judgments, judgments - warmup);
        for (int round = 0; round < rounds; round++) {
            System.out.printf(
                    "round %d: none %.1f us, chain %.1f us, elsewhere %.1f us; load %.1f%n",
                    round,
                    run(null, bench, warmup),
                    run(registry(), bench, warmup),
                    run(registry(), elsewhere, warmup),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /**
     * The CPU per measured judgment, in microseconds, of folding {@code values} into a fresh RocksDB {@code slots}
     * store ({@link StreamsFoldStore}, the topology's store without its changelog and cache) and its tallies.
     */
    private static double run(ConfigRegistry registry, List<byte[]> values, int warmup) throws Exception {
        SlotTallies tallies = registry == null ? new SlotTallies() : new SlotTallies(registry);
        Path state = Files.createTempDirectory("fold-cost");
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "fold-cost");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        MockProcessorContext<Object, Object> context =
                new MockProcessorContext<>(config, new TaskId(0, 0), state.toFile());
        KeyValueStore<String, Slot> slots = Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(AggregatorTopology.SLOTS),
                        Serdes.String(),
                        new JsonStoreSerde<>(Slot.class))
                .withLoggingDisabled()
                .withCachingDisabled()
                .build();
        slots.init(context.getStateStoreContext(), slots);
        try {
            tallies.reset(0, action -> {});
            Fold fold = new Fold(new StreamsFoldStore(slots, tallies, 0));
            for (int i = 0; i < warmup; i++) {
                fold.apply(EventType.JUDGMENT.parse(values.get(i), Judgment.class));
            }
            long start = CPU.getCurrentThreadCpuTime();
            for (int i = warmup; i < values.size(); i++) {
                fold.apply(EventType.JUDGMENT.parse(values.get(i), Judgment.class));
            }
            long cpu = CPU.getCurrentThreadCpuTime() - start;
            assertThat(tallies.has("b")).isTrue();
            return cpu / 1e3 / (values.size() - warmup);
        } finally {
            slots.close();
        }
    }

    /**
     * Reference verdicts: item i judged for {@code perItem} consecutive models from {@code (i · perItem) mod 100},
     * models named {@code prefix} and their number.
     */
    private static List<byte[]> values(String benchmark, String prefix, int perItem, int n) {
        List<byte[]> out = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            int item = j / perItem;
            int model = (item * perItem + j % perItem) % MODELS;
            Judgment judgment = Judgments.correctAt(
                    benchmark,
                    "q" + item,
                    prefix + model,
                    (item * 31 + model * 17) % 3 != 0,
                    "plain",
                    Instant.parse("2026-11-01T00:00:00Z"),
                    Instant.parse("2026-11-02T00:00:00Z").plusSeconds(j));
            out.add(Json.writeBytes(judgment));
        }
        return out;
    }

    /** m1 follows m0, ..., m99 follows m98: 99 declared pairs. */
    private static ConfigRegistry registry() {
        ConfigRegistry registry = new ConfigRegistry();
        for (int m = 0; m < MODELS; m++) {
            ModelSpec spec = new ModelSpec(
                    "m" + m,
                    null,
                    Provider.OPENAI,
                    "http://localhost:1/v1",
                    "model-" + m,
                    null,
                    null,
                    null,
                    m == 0 ? null : "m" + (m - 1),
                    null,
                    null,
                    null,
                    null,
                    null);
            assertThat(registry.apply(Topics.MODELS.name(), "m" + m, Json.writeBytes(spec)))
                    .isEmpty();
        }
        registry.markCaughtUp();
        return registry;
    }
}
