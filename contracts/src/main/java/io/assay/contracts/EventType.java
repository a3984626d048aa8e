package io.assay.contracts;

import java.util.List;
import java.util.Map;

/**
 * Every event type: its record, its JSON Schema and its CloudEvents type. Services validate
 * incoming bytes with {@link #parse(byte[])}, which checks the schema before binding the record.
 */
public enum EventType {
    /** A benchmark item. */
    BENCHMARK_ITEM(BenchmarkItem.class, "benchmark-item"),
    /** A registered model. */
    MODEL_SPEC(ModelSpec.class, "model-spec"),
    /** A benchmark's configuration. */
    BENCHMARK_SPEC(BenchmarkSpec.class, "benchmark-spec"),
    /** A prompt for a model. */
    PROMPT_REQUEST(PromptRequest.class, "prompt-request"),
    /** A model's answer. */
    MODEL_RESPONSE(ModelResponse.class, "model-response"),
    /** A judge's verdict. */
    JUDGMENT(Judgment.class, "judgment"),
    /** A leaderboard view. */
    LEADERBOARD_SNAPSHOT(LeaderboardSnapshot.class, "leaderboard-snapshot");

    /** The version of every schema; part of the CloudEvents type. */
    public static final String VERSION = "v1";

    private final Class<?> recordType;
    private final String schemaName;

    EventType(Class<?> recordType, String schemaName) {
        this.recordType = recordType;
        this.schemaName = schemaName;
    }

    /** The record class. */
    public Class<?> recordType() {
        return recordType;
    }

    /** The schema's classpath resource, e.g. {@code /schemas/benchmark-item.schema.json}. */
    public String schemaResource() {
        return "/schemas/" + schemaName + ".schema.json";
    }

    /** The CloudEvents {@code ce_type}, e.g. {@code io.assay.benchmark-item.v1}. */
    public String cloudEventType() {
        return "io.assay." + schemaName + "." + VERSION;
    }

    /** Validates JSON bytes against the schema and binds the record; throws {@link InvalidEventException}. */
    public <T> T parse(byte[] bytes, Class<T> type) {
        if (!type.equals(recordType)) {
            throw new IllegalArgumentException(
                    this + " binds " + recordType.getSimpleName() + ", not " + type.getSimpleName());
        }
        var tree = Json.tree(bytes);
        List<String> errors = SchemaValidator.validate(this, tree);
        if (!errors.isEmpty()) {
            throw new InvalidEventException(String.join("; ", errors));
        }
        return Json.bind(tree, type);
    }

    /** The schema violations of a JSON value, empty when it is valid. */
    public List<String> violations(com.fasterxml.jackson.databind.JsonNode tree) {
        return SchemaValidator.validate(this, tree);
    }

    /** Lookup by record class. */
    public static EventType of(Class<?> recordType) {
        return BY_RECORD.get(recordType);
    }

    private static final Map<Class<?>, EventType> BY_RECORD = Map.of(
            BenchmarkItem.class, BENCHMARK_ITEM,
            ModelSpec.class, MODEL_SPEC,
            BenchmarkSpec.class, BENCHMARK_SPEC,
            PromptRequest.class, PROMPT_REQUEST,
            ModelResponse.class, MODEL_RESPONSE,
            Judgment.class, JUDGMENT,
            LeaderboardSnapshot.class, LEADERBOARD_SNAPSHOT);
}
