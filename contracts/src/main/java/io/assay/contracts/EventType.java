package io.assay.contracts;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

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
    PROMPT_REQUEST(PromptRequest.class, "prompt-request", "prompt-generator", "judge"),
    /** A model's answer. */
    MODEL_RESPONSE(ModelResponse.class, "model-response", "model-invoker"),
    /** A judge's verdict. */
    JUDGMENT(Judgment.class, "judgment", "judge"),
    /** A leaderboard view. */
    LEADERBOARD_SNAPSHOT(LeaderboardSnapshot.class, "leaderboard-snapshot", "aggregator"),
    /** A judgment a human should review. */
    REVIEW_REQUEST(ReviewRequest.class, "review-request", "judge");

    /**
     * The largest event any stage reads, 512 KiB: larger values are refused before they are parsed.
     * Kafka refuses messages over 1 MiB by default (the broker's {@code message.max.bytes}, the
     * producers' {@code max.request.size}); an event under half of it leaves room for what the stages
     * derive from it (a prompt, a judge prompt holding an item and two answers, a dead letter with its
     * headers), so no stage's producer can fail on a record a producer managed to publish on a topic
     * whose limit was raised.
     */
    public static final int MAX_EVENT_BYTES = 512 * 1024;

    /** The version of every schema; part of the CloudEvents type. */
    public static final String VERSION = "v1";

    private final Class<?> recordType;
    private final String schemaName;
    private final Set<String> emitters;

    EventType(Class<?> recordType, String schemaName, String... emitters) {
        this.recordType = recordType;
        this.schemaName = schemaName;
        this.emitters = Arrays.stream(emitters).map(s -> "/assay/" + s).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The {@code ce_source} of the Assay services that emit this type: prompts (prompt-generator, judge),
     * responses (model-invoker), judgments (judge), snapshots (aggregator). Items and specs have none: they
     * come from outside.
     */
    public Set<String> emitters() {
        return emitters;
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

    /**
     * Checks the event's {@code ce_type} header ({@link #requireType}), then parses it as
     * {@link #parse(byte[], Class)} does: what every stage calls on a record it reads.
     */
    public <T> T parse(byte[] bytes, Class<T> type, Headers headers) {
        requireType(headers);
        if (emittedByAssay(headers)) {
            return bindEmitted(bytes, type);
        }
        return parse(bytes, type);
    }

    /**
     * Whether the event's {@code ce_source} names an Assay service that emits this type. Such an event
     * was built from typed records whose inputs were validated where they entered (an item by the prompt
     * generator, a judgment by the aggregator unless the judge made it), so a reader binds it without the
     * schema check: validation at the edges, typed records inside (docs/delivery.md, "Validated once, at
     * the edge"). An event from anyone else (the CLI, kcat, another tool) is validated in full.
     */
    public boolean emittedByAssay(Headers headers) {
        if (emitters.isEmpty() || headers == null) {
            return false;
        }
        Header source = headers.lastHeader(CloudEvents.SOURCE);
        return source != null
                && source.value() != null
                && emitters.contains(new String(source.value(), StandardCharsets.UTF_8));
    }

    /** Binds an event an Assay service emitted: the size limit still applies, the schema check does not. */
    private <T> T bindEmitted(byte[] bytes, Class<T> type) {
        if (!type.equals(recordType)) {
            throw new IllegalArgumentException(
                    this + " binds " + recordType.getSimpleName() + ", not " + type.getSimpleName());
        }
        if (bytes == null) {
            return parse(bytes, type);
        }
        if (bytes.length > MAX_EVENT_BYTES) {
            throw new InvalidEventException("too large: " + bytes.length + " bytes; an event is at most "
                    + MAX_EVENT_BYTES + " bytes (EventType.MAX_EVENT_BYTES)");
        }
        try {
            return Json.mapper().readValue(bytes, type);
        } catch (java.io.IOException e) {
            // Not what the service wrote (corrupted on the way, or a forged header): validate it in full.
            return parse(bytes, type);
        }
    }

    /**
     * Refuses an event whose {@code ce_type} header names another event type or another major version
     * of this one ({@code io.assay.benchmark-item.v2} where this reader knows {@code v1}): a v2 event may
     * mean something else in the same fields, so it is never read as v1. An event without the header
     * (a producer that sets no CloudEvents headers, such as {@code kcat}) is read as this version.
     *
     * @throws InvalidEventException with the reason
     */
    public void requireType(Headers headers) {
        Header header = headers == null ? null : headers.lastHeader(CloudEvents.TYPE);
        if (header == null || header.value() == null) {
            return;
        }
        String declared = new String(header.value(), StandardCharsets.UTF_8);
        if (declared.equals(cloudEventType())) {
            return;
        }
        String prefix = "io.assay." + schemaName + ".";
        if (declared.startsWith(prefix)) {
            throw new InvalidEventException("unsupported event version: ce_type " + declared + " is version "
                    + declared.substring(prefix.length()) + " of " + schemaName + "; this reader knows "
                    + cloudEventType() + " only");
        }
        throw new InvalidEventException(
                "ce_type " + abbreviate(declared) + " is not " + cloudEventType() + ", the events of this topic");
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    /**
     * Validates JSON bytes against the schema, then checks what a schema cannot ({@code ValueChecks}:
     * finite numbers, ids free of invisible characters, a reference regex that compiles, a judgment's
     * kind and score that fit its judge), and binds the record; throws {@link InvalidEventException}
     * with every violation.
     */
    public <T> T parse(byte[] bytes, Class<T> type) {
        if (!type.equals(recordType)) {
            throw new IllegalArgumentException(
                    this + " binds " + recordType.getSimpleName() + ", not " + type.getSimpleName());
        }
        if (bytes != null && bytes.length > MAX_EVENT_BYTES) {
            throw new InvalidEventException("too large: " + bytes.length + " bytes; an event is at most "
                    + MAX_EVENT_BYTES + " bytes (EventType.MAX_EVENT_BYTES)");
        }
        var tree = Json.tree(bytes);
        List<String> errors = violations(tree);
        if (!errors.isEmpty()) {
            throw new InvalidEventException(String.join("; ", errors));
        }
        return Json.bind(tree, type);
    }

    /**
     * The violations of a JSON value, empty when it is valid: its schema's, then (for a schema-valid
     * value) those of its values.
     */
    public List<String> violations(com.fasterxml.jackson.databind.JsonNode tree) {
        List<String> errors = new ArrayList<>(SchemaValidator.validate(this, tree));
        if (errors.isEmpty()) {
            errors.addAll(ValueChecks.violations(this, tree));
        }
        return errors;
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
            LeaderboardSnapshot.class, LEADERBOARD_SNAPSHOT,
            ReviewRequest.class, REVIEW_REQUEST);
}
