package io.assay.contracts;

import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every Assay topic, with its key, value and cleanup policy (the README's "Connecting data collection:
 * the contracts"; why every event's id is deterministic: docs/delivery.md). Reactive-messaging channels
 * are named after their topics, and tests reuse these constants.
 */
public final class Topics {
    /**
     * Partitions of the per-item topics when Assay creates them (tests, {@code assay up}; the chart's
     * {@code topics.partitions}). No stage needs two topics to share a count: the judge meets items and
     * responses on its own repartition topic (README, "Partitions and replicas").
     */
    public static final int PARTITIONS = 3;

    private static final Serde<String> KEYS = Serdes.String();

    /** The topic names as compile-time constants, for annotations such as reactive-messaging channels. */
    public static final class Names {
        /** {@link Topics#ITEMS}. */
        public static final String ITEMS = "assay.items";
        /** {@link Topics#MODELS}. */
        public static final String MODELS = "assay.models";
        /** {@link Topics#BENCHMARKS}. */
        public static final String BENCHMARKS = "assay.benchmarks";
        /** {@link Topics#PROMPTS}. */
        public static final String PROMPTS = "assay.prompts";
        /** {@link Topics#RESPONSES}. */
        public static final String RESPONSES = "assay.responses";
        /** {@link Topics#JUDGMENTS}. */
        public static final String JUDGMENTS = "assay.judgments";
        /** {@link Topics#LEADERBOARDS}. */
        public static final String LEADERBOARDS = "assay.leaderboards";
        /** {@link Topics#DEAD_LETTERS}. */
        public static final String DEAD_LETTERS = "assay.dead-letters";
        /** {@link Topics#ANSWERS}. */
        public static final String ANSWERS = "assay.answers";
        /** {@link Topics#REVIEWS}. */
        public static final String REVIEWS = "assay.reviews";

        private Names() {}
    }

    /** Benchmark items, keyed {@code benchmark/itemId}; compacted, kept forever. */
    public static final Topic<String, BenchmarkItem> ITEMS = topic(Names.ITEMS, BenchmarkItem.class, true);
    /** Registered models, keyed {@code modelId}; a tombstone retires a model. */
    public static final Topic<String, ModelSpec> MODELS = topic(Names.MODELS, ModelSpec.class, true);
    /** Benchmark configurations, keyed by benchmark name. */
    public static final Topic<String, BenchmarkSpec> BENCHMARKS = topic(Names.BENCHMARKS, BenchmarkSpec.class, true);
    /** Prompts for models (evaluate and judge), keyed {@code benchmark/itemId}. */
    public static final Topic<String, PromptRequest> PROMPTS = topic(Names.PROMPTS, PromptRequest.class, false);
    /** Model answers and typed failures, keyed {@code benchmark/itemId}. */
    public static final Topic<String, ModelResponse> RESPONSES = topic(Names.RESPONSES, ModelResponse.class, false);
    /** Judgments, keyed {@code benchmark/itemId}: the ledger, kept forever. */
    public static final Topic<String, Judgment> JUDGMENTS = topic(Names.JUDGMENTS, Judgment.class, false);
    /** Leaderboard snapshots, keyed {@code benchmark/view}; compacted. */
    public static final Topic<String, LeaderboardSnapshot> LEADERBOARDS =
            topic(Names.LEADERBOARDS, LeaderboardSnapshot.class, true);
    /** Events that failed validation or processing: original key and bytes, reason in headers. */
    public static final Topic<String, byte[]> DEAD_LETTERS =
            new Topic<>(Names.DEAD_LETTERS, KEYS, Serdes.ByteArray(), null, false);

    /**
     * The model-invoker's durable record of answered requests, keyed {@code requestId}; compacted.
     * Read back at start so a redelivered or replayed request re-emits its stored answer instead
     * of paying for the call again, and so identical requests are served from the cache. A published
     * answer's mark (header {@code assay-published}) is the answer again when it is cacheable, else a
     * record with an empty value (docs/delivery.md).
     */
    public static final Topic<String, ModelResponse> ANSWERS = topic(Names.ANSWERS, ModelResponse.class, true);

    /**
     * Judgments a human should review (position-inconsistent, or drawn by the judge's audit), keyed
     * {@code benchmark/itemId}; labels go back to {@link #JUDGMENTS} with {@code origin: human}.
     */
    public static final Topic<String, ReviewRequest> REVIEWS = topic(Names.REVIEWS, ReviewRequest.class, false);

    /** All topics, for creating them. */
    public static final List<Topic<?, ?>> ALL = List.of(
            ITEMS, MODELS, BENCHMARKS, PROMPTS, RESPONSES, JUDGMENTS, LEADERBOARDS, DEAD_LETTERS, ANSWERS, REVIEWS);

    private Topics() {}

    private static <V> Topic<String, V> topic(String name, Class<V> type, boolean compacted) {
        return new Topic<>(name, KEYS, new JsonSerde<>(type), EventType.of(type), compacted);
    }
}
