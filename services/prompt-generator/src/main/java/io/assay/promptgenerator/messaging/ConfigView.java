package io.assay.promptgenerator.messaging;

import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.EventType;
import io.assay.contracts.ModelSpec;
import io.assay.promptgenerator.prompts.PlannedVariant;
import io.assay.promptgenerator.prompts.PromptFactory;
import io.assay.promptgenerator.prompts.Variants;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
    private final Map<String, Parsed<RegisteredModel>> modelCache = new HashMap<>();
    private final Map<String, Parsed<List<PlannedVariant>>> variantCache = new HashMap<>();

    ConfigView(ReadOnlyKeyValueStore<String, byte[]> models, ReadOnlyKeyValueStore<String, byte[]> benchmarks) {
        this.models = models;
        this.benchmarks = benchmarks;
    }

    /** Every registered model by id, in key order. */
    Map<String, RegisteredModel> models() {
        Map<String, RegisteredModel> current = new LinkedHashMap<>();
        try (KeyValueIterator<String, byte[]> all = models.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                Parsed<RegisteredModel> parsed = modelCache.get(entry.key);
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

    /** The variants of a benchmark: from its spec, or {@link BenchmarkSpec#defaults} when it has none. */
    List<PlannedVariant> variants(String benchmark) {
        byte[] raw = benchmarks.get(benchmark);
        Parsed<List<PlannedVariant>> parsed = variantCache.get(benchmark);
        if (parsed == null || !Arrays.equals(parsed.raw(), raw)) {
            parsed = new Parsed<>(raw, Variants.of(parseSpec(benchmark, raw)));
            variantCache.put(benchmark, parsed);
        }
        return parsed.value();
    }

    private static RegisteredModel parseModel(String key, byte[] raw) {
        try {
            ModelSpec spec = EventType.MODEL_SPEC.parse(raw, ModelSpec.class);
            return new RegisteredModel(spec, PromptFactory.modelFingerprint(spec));
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

    /**
     * A registered model and the fingerprint of its prompt-relevant fields.
     *
     * @param spec the model
     * @param fingerprint {@link PromptFactory#modelFingerprint}
     */
    record RegisteredModel(ModelSpec spec, String fingerprint) {}

    private record Parsed<T>(byte[] raw, T value) {}
}
