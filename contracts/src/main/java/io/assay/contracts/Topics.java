package io.assay.contracts;

import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every Assay topic (DESIGN.md section 2). Reactive-messaging channels are named after their
 * topics, and tests reuse these constants.
 */
public final class Topics {
    /**
     * Partitions of the per-item topics. Items, prompts, responses and judgments must have the
     * same count: the judge joins responses with items partition by partition.
     */
    public static final int PARTITIONS = 3;

    private static final Serde<String> KEYS = Serdes.String();

    /** Benchmark items, keyed {@code benchmark/itemId}; compacted, kept forever. */
    public static final Topic<String, BenchmarkItem> ITEMS =
            topic("assay.items", BenchmarkItem.class, true);
    /** Registered models, keyed {@code modelId}; a tombstone retires a model. */
    public static final Topic<String, ModelSpec> MODELS =
            topic("assay.models", ModelSpec.class, true);
    /** Benchmark configurations, keyed by benchmark name. */
    public static final Topic<String, BenchmarkSpec> BENCHMARKS =
            topic("assay.benchmarks", BenchmarkSpec.class, true);
    /** Prompts for models (evaluate and judge), keyed {@code benchmark/itemId}. */
    public static final Topic<String, PromptRequest> PROMPTS =
            topic("assay.prompts", PromptRequest.class, false);
    /** Model answers and typed failures, keyed {@code benchmark/itemId}. */
    public static final Topic<String, ModelResponse> RESPONSES =
            topic("assay.responses", ModelResponse.class, false);
    /** Judgments, keyed {@code benchmark/itemId}: the ledger, kept forever. */
    public static final Topic<String, Judgment> JUDGMENTS =
            topic("assay.judgments", Judgment.class, false);
    /** Leaderboard snapshots, keyed {@code benchmark/view}; compacted. */
    public static final Topic<String, LeaderboardSnapshot> LEADERBOARDS =
            topic("assay.leaderboards", LeaderboardSnapshot.class, true);
    /** Events that failed validation or processing: original key and bytes, reason in headers. */
    public static final Topic<String, byte[]> DEAD_LETTERS =
            new Topic<>("assay.dead-letters", KEYS, Serdes.ByteArray(), null, false);

    /** All topics, for creating them. */
    public static final List<Topic<?, ?>> ALL =
            List.of(ITEMS, MODELS, BENCHMARKS, PROMPTS, RESPONSES, JUDGMENTS, LEADERBOARDS, DEAD_LETTERS);

    private Topics() {
    }

    private static <V> Topic<String, V> topic(String name, Class<V> type, boolean compacted) {
        return new Topic<>(name, KEYS, new JsonSerde<>(type), EventType.of(type), compacted);
    }
}
