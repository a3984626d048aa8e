package io.assay.promptgenerator.messaging;

import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.EventType;
import io.assay.contracts.ModelSpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.jboss.logging.Logger;

/**
 * A task's view of the registered models and benchmark specs in the global stores. Values are
 * kept there as raw bytes and parsed here, cached until the bytes change, so a restore that
 * copies topic bytes straight into a global store cannot smuggle in an unvalidated spec.
 */
final class ConfigView {
    private static final Logger LOG = Logger.getLogger(ConfigView.class);

    private final ReadOnlyKeyValueStore<String, byte[]> models;
    private final ReadOnlyKeyValueStore<String, byte[]> benchmarks;
    private final Map<String, Parsed<ModelSpec>> modelCache = new HashMap<>();
    private final Map<String, Parsed<BenchmarkSpec>> specCache = new HashMap<>();

    ConfigView(ReadOnlyKeyValueStore<String, byte[]> models, ReadOnlyKeyValueStore<String, byte[]> benchmarks) {
        this.models = models;
        this.benchmarks = benchmarks;
    }

    /** Every registered model by id, in key order; the same object until its bytes change. */
    Map<String, ModelSpec> models() {
        Map<String, ModelSpec> current = new LinkedHashMap<>();
        try (KeyValueIterator<String, byte[]> all = models.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                Parsed<ModelSpec> parsed = modelCache.get(entry.key);
                if (parsed == null || !Arrays.equals(parsed.raw(), entry.value)) {
                    parsed = new Parsed<>(entry.value, parseModel(entry.key, entry.value));
                    modelCache.put(entry.key, parsed);
                }
                if (parsed.value() != null) {
                    current.put(entry.key, parsed.value());
                }
            }
        }
        modelCache.keySet().retainAll(current.keySet());
        return current;
    }

    /** The spec of a benchmark, or {@link BenchmarkSpec#defaults} when it has none. */
    BenchmarkSpec benchmark(String benchmark) {
        byte[] raw = benchmarks.get(benchmark);
        Parsed<BenchmarkSpec> parsed = specCache.get(benchmark);
        if (parsed == null || !Arrays.equals(parsed.raw(), raw)) {
            parsed = new Parsed<>(raw, parseSpec(benchmark, raw));
            specCache.put(benchmark, parsed);
        }
        return parsed.value();
    }

    private static ModelSpec parseModel(String key, byte[] raw) {
        try {
            return EventType.MODEL_SPEC.parse(raw, ModelSpec.class);
        } catch (RuntimeException e) {
            LOG.warnf("Ignoring invalid model %s in the global store: %s", key, e.getMessage());
            return null;
        }
    }

    private static BenchmarkSpec parseSpec(String benchmark, byte[] raw) {
        if (raw == null) {
            return BenchmarkSpec.defaults(benchmark);
        }
        try {
            return EventType.BENCHMARK_SPEC.parse(raw, BenchmarkSpec.class);
        } catch (RuntimeException e) {
            LOG.warnf("Ignoring invalid spec of benchmark %s in the global store: %s", benchmark, e.getMessage());
            return BenchmarkSpec.defaults(benchmark);
        }
    }

    private record Parsed<T>(byte[] raw, T value) {}
}
