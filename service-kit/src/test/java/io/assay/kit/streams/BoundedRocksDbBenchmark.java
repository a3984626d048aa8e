package io.assay.kit.streams;

import io.assay.contracts.Ids;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.rocksdb.Options;

/**
 * Lookups in a Kafka Streams state store as its history grows: Kafka Streams' own RocksDB store (its options,
 * its universal compaction) configured by {@link BoundedRocksDb} as it was before session 30 (one index and one
 * Bloom filter block a table file, in a 64 MiB cache of 1 MiB shards) and as it is (partitioned), each with a cache
 * of its own, filled side by side with the same keys: slot-like keys in hashed order and 8-byte values, the shape
 * whose filters outgrow a shard first ({@code -Dassay.bench.value-bytes=600} for values the size of the aggregator's
 * slots, whose index blocks grow instead). After every {@link #STEP} keys, {@link #LOOKUPS} lookups of stored keys and
 * as many of keys never stored, in microseconds (elapsed, and this thread's CPU). Prints figures, asserts nothing:
 * {@code ./mvnw -o test -pl service-kit -Dtest=BoundedRocksDbBenchmark -Dassay.bench=rocksdb}.
 */
@EnabledIfSystemProperty(named = "assay.bench", matches = "rocksdb")
class BoundedRocksDbBenchmark {
    private static final int STEP = 400_000;
    private static final int STEPS = 10;
    private static final int LOOKUPS = 20_000;
    private static final byte[] VALUE = new byte[Integer.getInteger("assay.bench.value-bytes", 8)];

    /** The layout before: the same cache budget, one index and one filter block a file. */
    public static final class Whole implements RocksDBConfigSetter {
        private static final BoundedRocksDb.Shared SHARED = BoundedRocksDb.Shared.of(BoundedRocksDb.DEFAULT_MIB << 20);

        @Override
        public void setConfig(String storeName, Options options, Map<String, Object> configs) {
            BoundedRocksDb.configure(options, SHARED, false);
        }

        @Override
        public void close(String storeName, Options options) {}
    }

    @Test
    void microsecondsPerLookup() throws Exception {
        Path dir = Files.createTempDirectory("rocksdb-bench");
        KeyValueStore<Bytes, byte[]> before = store(dir.resolve("before"), Whole.class);
        KeyValueStore<Bytes, byte[]> now = store(dir.resolve("now"), BoundedRocksDb.class);
        try {
            for (int step = 1; step <= STEPS; step++) {
                for (int i = (step - 1) * STEP; i < step * STEP; i++) {
                    before.put(key("stored", i), VALUE);
                    now.put(key("stored", i), VALUE);
                }
                int keys = step * STEP;
                double[] off = lookups(before, keys);
                double[] on = lookups(now, keys);
                System.out.printf(
                        "%,d keys of %d bytes: before %.1f us a hit (%.1f CPU), %.1f a miss (%.1f); now %.1f (%.1f), %.1f (%.1f);"
                                + " %.0f and %.0f MB on disk%n",
                        keys,
                        VALUE.length,
                        off[0],
                        off[1],
                        off[2],
                        off[3],
                        on[0],
                        on[1],
                        on[2],
                        on[3],
                        megabytes(dir.resolve("before")),
                        megabytes(dir.resolve("now")));
            }
        } finally {
            before.close();
            now.close();
        }
    }

    /** Kafka Streams' persistent key-value store, opened in {@code dir} with {@code setter}. */
    private static KeyValueStore<Bytes, byte[]> store(Path dir, Class<? extends RocksDBConfigSetter> setter) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "rocksdb-bench");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, setter);
        MockProcessorContext<Object, Object> context =
                new MockProcessorContext<>(config, new TaskId(0, 0), dir.toFile());
        KeyValueStore<Bytes, byte[]> store =
                Stores.persistentKeyValueStore("slots").get();
        store.init(context.getStateStoreContext(), store);
        return store;
    }

    /** {@link #LOOKUPS} lookups of stored keys, then as many of keys never stored: µs each, elapsed and CPU. */
    private static double[] lookups(KeyValueStore<Bytes, byte[]> store, int keys) {
        double[] out = new double[4];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int pass = 0; pass < 2; pass++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (int i = 0; i < LOOKUPS; i++) {
                int n = (int) ((i * 2_654_435_761L) % keys);
                byte[] value = store.get(pass == 0 ? key("stored", n) : key("never", n));
                if ((value != null) != (pass == 0)) {
                    throw new IllegalStateException("lookup " + n + " found " + (value != null));
                }
            }
            out[2 * pass] = (System.nanoTime() - start) / 1e3 / LOOKUPS;
            out[2 * pass + 1] = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / LOOKUPS;
        }
        return out;
    }

    /** A slot-like key: a benchmark's name and a hash, so keys arrive in no order. */
    private static Bytes key(String kind, int n) {
        return Bytes.wrap(("bench/" + Ids.hash(kind, Integer.toString(n))).getBytes(StandardCharsets.UTF_8));
    }

    private static double megabytes(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(Path::toFile)
                            .filter(File::isFile)
                            .mapToLong(File::length)
                            .sum()
                    / 1e6;
        }
    }
}
