package io.assay.kit.config;

import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Topics;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.header.Headers;

/**
 * The registered models ({@code assay.models}) and benchmark specs ({@code assay.benchmarks}) as
 * typed records, the same in every service: a record is applied only if it passes its schema and its
 * key is its id ({@code modelId}, {@code benchmark}); a tombstone retires the key; an invalid record is
 * refused and the last valid spec stays in force. {@link ConfigFollower} fills it from the two
 * compacted topics; {@link ConfigValidator} dead-letters what it refuses, once for the whole system.
 *
 * <p>Reads are lock-free snapshots (specs change rarely and are small), so a stream thread never
 * waits on a registry update.
 *
 * <p>Why a refused record is skipped by every reader and dead-lettered only once: docs/delivery.md.
 */
public final class ConfigRegistry {
    /** Reason class of a model spec that passes its schema but reaches what the service does not expose. */
    public static final String REFUSED = "refused";

    private final ModelCheck modelCheck;
    private volatile Map<String, ModelSpec> models = Map.of();
    private volatile Map<String, BenchmarkSpec> benchmarks = Map.of();
    private volatile boolean caughtUp;
    private volatile long version;

    /** A registry that accepts every model spec that passes its schema. */
    public ConfigRegistry() {
        this(ModelCheck.NONE);
    }

    /** A registry that also refuses the model specs {@code modelCheck} refuses. */
    public ConfigRegistry(ModelCheck modelCheck) {
        this.modelCheck = modelCheck;
    }

    /**
     * Why a config record is refused by its schema or key, empty when it is valid. A tombstone with a
     * key is valid.
     *
     * @param topic {@code assay.models} or {@code assay.benchmarks}
     */
    public static Optional<Rejection> check(String topic, String key, byte[] value) {
        return check(topic, key, value, null);
    }

    /** As {@link #check(String, String, byte[])}, the record's {@code ce_type} header checked too. */
    public static Optional<Rejection> check(String topic, String key, byte[] value, Headers headers) {
        return parse(topic, key, value, headers, ModelCheck.NONE).rejection();
    }

    /**
     * Why this registry refuses a config record (schema, {@code ce_type}, key, and its {@link ModelCheck}),
     * empty when valid.
     */
    public Optional<Rejection> refusal(String topic, String key, byte[] value, Headers headers) {
        return parse(topic, key, value, headers, modelCheck).rejection();
    }

    /** Applies one record of {@code topic}; returns why it was refused, empty when it was applied. */
    public Optional<Rejection> apply(String topic, String key, byte[] value) {
        return apply(topic, key, value, null);
    }

    /**
     * As {@link #apply(String, String, byte[])}, the record's {@code ce_type} header checked too: a spec
     * of an unknown major version is refused ({@link EventType#requireType}).
     */
    public Optional<Rejection> apply(String topic, String key, byte[] value, Headers headers) {
        Parsed parsed = parse(topic, key, value, headers, modelCheck);
        if (parsed.rejection().isPresent()) {
            return parsed.rejection();
        }
        synchronized (this) {
            if (isModels(topic)) {
                models = with(models, key, (ModelSpec) parsed.spec());
            } else {
                benchmarks = with(benchmarks, key, (BenchmarkSpec) parsed.spec());
            }
            version++;
            notifyAll();
        }
        return Optional.empty();
    }

    /** Every registered model by id, in id order. */
    public Map<String, ModelSpec> models() {
        return models;
    }

    /** The model, if registered. */
    public Optional<ModelSpec> model(String modelId) {
        return modelId == null ? Optional.empty() : Optional.ofNullable(models.get(modelId));
    }

    /** Whether {@code modelId} is a registered simulated ({@code sim}) model. */
    public boolean simulated(String modelId) {
        return model(modelId).map(ModelSpec::simulated).orElse(false);
    }

    /**
     * The model, waiting up to {@code timeout} for its registration to be read (a prompt can arrive
     * before the registration of its model).
     */
    public Optional<ModelSpec> awaitModel(String modelId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            ModelSpec model = models.get(modelId);
            while (model == null) {
                long leftMs = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMs <= 0) {
                    return Optional.empty();
                }
                wait(leftMs);
                model = models.get(modelId);
            }
            return Optional.of(model);
        }
    }

    /** Every registered benchmark spec by name, in name order. */
    public Map<String, BenchmarkSpec> benchmarks() {
        return benchmarks;
    }

    /** The spec of {@code benchmark}, if registered. */
    public Optional<BenchmarkSpec> registered(String benchmark) {
        return benchmark == null ? Optional.empty() : Optional.ofNullable(benchmarks.get(benchmark));
    }

    /** The spec of {@code benchmark}, or its defaults ({@link BenchmarkSpec#defaults}) when it is not registered. */
    public BenchmarkSpec benchmark(String benchmark) {
        return registered(benchmark).orElseGet(() -> BenchmarkSpec.defaults(benchmark));
    }

    /** Moves with every applied change: a cache of something derived from the registry compares it. */
    public long version() {
        return version;
    }

    /** Whether the topics were read up to the end offsets seen at start. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Marks the registry as read up to the end offsets seen at start. */
    public void markCaughtUp() {
        synchronized (this) {
            caughtUp = true;
            notifyAll();
        }
    }

    /** Waits until {@link #caughtUp}; false when {@code timeout} passed first. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!caughtUp) {
                long leftMs = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMs <= 0) {
                    return false;
                }
                wait(leftMs);
            }
            return true;
        }
    }

    private static <T> Map<String, T> with(Map<String, T> current, String key, T spec) {
        Map<String, T> next = new TreeMap<>(current);
        if (spec == null) {
            next.remove(key);
        } else {
            next.put(key, spec);
        }
        return Collections.unmodifiableMap(next);
    }

    private static boolean isModels(String topic) {
        return Topics.MODELS.name().equals(topic);
    }

    private static Parsed parse(String topic, String key, byte[] value, Headers headers, ModelCheck modelCheck) {
        if (key == null || key.isBlank()) {
            return Parsed.refused("no-key", "a config record needs its id as key");
        }
        if (value == null) {
            return new Parsed(null, Optional.empty());
        }
        try {
            String id;
            Object spec;
            if (isModels(topic)) {
                ModelSpec model = EventType.MODEL_SPEC.parse(value, ModelSpec.class, headers);
                Optional<String> refused = modelCheck.refusal(model);
                if (refused.isPresent()) {
                    return Parsed.refused(REFUSED, refused.get());
                }
                id = model.modelId();
                spec = model;
            } else if (Topics.BENCHMARKS.name().equals(topic)) {
                BenchmarkSpec benchmark = EventType.BENCHMARK_SPEC.parse(value, BenchmarkSpec.class, headers);
                id = benchmark.benchmark();
                spec = benchmark;
            } else {
                return Parsed.refused("not-config", topic + " is not a config topic");
            }
            if (!key.equals(id)) {
                return Parsed.refused("key-mismatch", "key " + key + " is not the spec's id " + id);
            }
            return new Parsed(spec, Optional.empty());
        } catch (InvalidEventException e) {
            return Parsed.refused("invalid", e.getMessage());
        }
    }

    private record Parsed(Object spec, Optional<Rejection> rejection) {
        static Parsed refused(String reasonClass, String reason) {
            return new Parsed(null, Optional.of(new Rejection(reasonClass, reason)));
        }
    }

    /**
     * What a service refuses in a model spec beyond its schema: the model-invoker refuses credentials
     * and hosts the operator did not expose ({@link io.assay.contracts.ModelSpecPolicy}).
     */
    @FunctionalInterface
    public interface ModelCheck {
        /** Refuses nothing. */
        ModelCheck NONE = spec -> Optional.empty();

        /** Why {@code spec} is refused, empty when it is accepted. */
        Optional<String> refusal(ModelSpec spec);
    }

    /**
     * Why a record is refused.
     *
     * @param reasonClass a low-cardinality class, for meters
     * @param reason the reason in words
     */
    public record Rejection(String reasonClass, String reason) {}
}
