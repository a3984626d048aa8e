package io.assay.judge.messaging;

import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * The benchmark specs of {@code assay.benchmarks}, in a global store every task reads: the updater
 * that keeps the store, and a lookup with a small parse cache. An unregistered benchmark, or one
 * whose stored spec cannot be read, is judged with {@link BenchmarkSpec#defaults(String)}.
 */
final class BenchmarkSpecStore {
    /** The global store's name. */
    static final String STORE = "benchmarks";

    private static final Logger LOG = Logger.getLogger(BenchmarkSpecStore.class);

    private final KeyValueStore<String, byte[]> store;
    /** Parsed specs with the bytes they came from, so a changed spec is parsed once. */
    private final Map<String, Cached> cache = new HashMap<>();

    private record Cached(byte[] bytes, BenchmarkSpec spec) {}

    BenchmarkSpecStore(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    /** The spec of a benchmark, its defaults when none is registered. */
    BenchmarkSpec spec(String benchmark) {
        byte[] bytes = store.get(benchmark);
        if (bytes == null) {
            cache.remove(benchmark);
            return BenchmarkSpec.defaults(benchmark);
        }
        Cached cached = cache.get(benchmark);
        if (cached != null && Arrays.equals(cached.bytes(), bytes)) {
            return cached.spec();
        }
        BenchmarkSpec spec;
        try {
            spec = EventType.BENCHMARK_SPEC.parse(bytes, BenchmarkSpec.class);
        } catch (InvalidEventException e) {
            // Restoration copies the topic into the store without the updater's validation.
            LOG.warnf("spec of benchmark %s is invalid (%s); judging with defaults", benchmark, e.getMessage());
            spec = BenchmarkSpec.defaults(benchmark);
        }
        cache.put(benchmark, new Cached(bytes, spec));
        return spec;
    }
}
