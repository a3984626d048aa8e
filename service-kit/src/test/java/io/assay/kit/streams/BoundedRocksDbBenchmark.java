package io.assay.kit.streams;

import io.assay.contracts.Ids;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Lookups in a Kafka Streams state store as its history grows: Kafka Streams' own RocksDB store (its options,
 * its universal compaction) configured by {@link BoundedRocksDb} as it was before session 30 ({@link WholeIndexSetter}: one
 * index and one Bloom filter block a table file, in a 64 MiB cache of 1 MiB shards) and as it is (partitioned), each with a cache
 * of its own, filled side by side with the same keys: slot-like keys in hashed order and 8-byte values, the shape
 * whose filters outgrow a shard first ({@code -Dassay.bench.value-bytes=600} for values the size of the aggregator's
 * slots). After every {@link #STEP} keys, {@link #LOOKUPS} lookups of stored keys and
 * as many of keys never stored, in microseconds (elapsed, and this thread's CPU). Prints figures, asserts nothing:
 * {@code ./mvnw -o test -pl service-kit -Dtest=BoundedRocksDbBenchmark -Dassay.bench=rocksdb}.
 */
@EnabledIfSystemProperty(named = "assay.bench", matches = "rocksdb")
class BoundedRocksDbBenchmark {
    private static final int STEP = 400_000;
    private static final int STEPS = 10;
    private static final int LOOKUPS = 20_000;
    private static final byte[] VALUE = new byte[Integer.getInteger("assay.bench.value-bytes", 8)];

    @Test
    void microsecondsPerLookup() throws Exception {
        Path dir = Files.createTempDirectory("rocksdb-bench");
        KeyValueStore<Bytes, byte[]> before = StreamsStore.open(dir.resolve("before"), WholeIndexSetter.class);
        KeyValueStore<Bytes, byte[]> now = StreamsStore.open(dir.resolve("now"), BoundedRocksDb.class);
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
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    /** {@link #LOOKUPS} lookups of stored keys, then as many of keys never stored: µs each, elapsed and CPU. */
    private static double[] lookups(KeyValueStore<Bytes, byte[]> store, int keys) {
        double[] out = new double[4];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int pass = 0; pass < 2; pass++) {
            // The keys are made before the clock starts: a key's hash (SHA-256) and string take about 1 µs.
            Bytes[] asked = new Bytes[LOOKUPS];
            for (int i = 0; i < LOOKUPS; i++) {
                int n = (int) ((i * 2_654_435_761L) % keys);
                asked[i] = key(pass == 0 ? "stored" : "never", n);
            }
            long cpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (Bytes key : asked) {
                byte[] value = store.get(key);
                if ((value != null) != (pass == 0)) {
                    throw new IllegalStateException("lookup of " + key + " found " + (value != null));
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
