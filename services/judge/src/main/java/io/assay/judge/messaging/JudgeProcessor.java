package io.assay.judge.messaging;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.DeadLetters;
import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.Json;
import io.assay.contracts.Judgment;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.ReviewRequest;
import io.assay.contracts.Topics;
import io.assay.judge.judging.Judging;
import io.assay.judge.judging.Outcome;
import io.assay.judge.judging.ReadAt;
import io.assay.judge.llm.LlmJudging;
import io.assay.judge.scoring.ReferenceJudge;
import io.assay.kit.config.ConfigRegistry;
import io.assay.kit.events.DeadLetterSink;
import io.assay.kit.events.EventHeaders;
import io.assay.kit.streams.StreamsEmitter;
import io.assay.kit.traces.Trace;
import io.assay.kit.traces.Traces;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Thin Kafka glue around {@link Judging}: takes items and responses from the judge's repartition topic
 * (where {@link JudgeInputs} stamped the topic, partition and offset each was read at), parses them from
 * bytes (schema-validated),
 * hands them to the task's {@code Judging} over its {@link StreamsJudgingStore} and the benchmark specs
 * and models of the kit's {@link ConfigRegistry}, and emits what it returns: judgments and judge prompt
 * requests, rejected responses to the dead-letter sink with their reason (a rejected item is skipped:
 * its dead letter is the prompt generator's). Keys and values stay raw bytes
 * so a dead letter carries the original ones exactly. Each record is judged under its trace, so a
 * judgment carries the trace of the record that completed it: the item's, since its prompts, responses
 * and judge calls all carry it on.
 */
final class JudgeProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    private static final Logger LOG = Logger.getLogger(JudgeProcessor.class);

    /** The partition of the judge input whose task keeps the canaries. */
    static final int CANARY_PARTITION = 0;

    /** How often the canary task looks for judges whose version changed (a scan of a few canary sets). */
    static final Duration CANARY_CHECK = Duration.ofSeconds(5);

    private final ReferenceJudge reference;
    private final LlmJudging llm;
    private final ConfigRegistry registry;
    private final JudgeMetrics metrics;
    private final EventHeaders headers;
    private final DeadLetterSink deadLetters;
    private final String itemsTopic;
    private final String responsesTopic;
    private final String promptsTopic;
    private final Duration pendingRetention;
    private final double reviewRate;
    private final int canaries;
    private final Function<String, Optional<LeaderboardSnapshot>> ratings;
    private ProcessorContext<byte[], byte[]> context;
    private StreamsEmitter emitter;
    private Judging judging;

    JudgeProcessor(
            ReferenceJudge reference,
            LlmJudging llm,
            ConfigRegistry registry,
            JudgeMetrics metrics,
            EventHeaders headers,
            DeadLetterSink deadLetters,
            String itemsTopic,
            String responsesTopic,
            String promptsTopic,
            Duration pendingRetention,
            double reviewRate,
            int canaries,
            Function<String, Optional<LeaderboardSnapshot>> ratings) {
        this.reference = reference;
        this.llm = llm;
        this.registry = registry;
        this.metrics = metrics;
        this.headers = headers;
        this.deadLetters = deadLetters;
        this.itemsTopic = itemsTopic;
        this.responsesTopic = responsesTopic;
        this.promptsTopic = promptsTopic;
        this.pendingRetention = pendingRetention;
        this.reviewRate = reviewRate;
        this.canaries = canaries;
        this.ratings = ratings;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.emitter = new StreamsEmitter(context, headers, deadLetters);
        // The task of partition 0 keeps every judge's canaries, so one task sees a judge's whole canary set
        // and measures its drift exactly (docs/judging.md, "Judge drift").
        boolean canaryTask = context.taskId().partition() == CANARY_PARTITION && canaries > 0;
        this.judging = new Judging(
                reference,
                llm,
                new StreamsJudgingStore(context),
                registry::benchmark,
                registry::simulated,
                reviewRate,
                canaryTask ? canaries : 0,
                ratings);
        context.schedule(sweepEvery(pendingRetention), PunctuationType.WALL_CLOCK_TIME, this::expire);
        if (canaryTask) {
            // Restored with the store: the meters show the last drift again after a restart or a move.
            judging.drifts().forEach(metrics::drift);
            context.schedule(CANARY_CHECK, PunctuationType.WALL_CLOCK_TIME, this::checkCanaries);
        }
    }

    /** Judges the canaries of changed judges again; emits their judge requests (or reference judgments). */
    private void checkCanaries(long now) {
        Outcome outcome = judging.checkCanaries();
        for (Judgment judgment : outcome.judgments()) {
            emitter.emit(Topics.JUDGMENTS, judgment.key(), judgment.judgmentId(), judgment, now);
        }
        for (PromptRequest request : outcome.requests()) {
            emitter.emit(Topics.PROMPTS, request.key(), request.requestId(), request, now);
        }
        metrics.count(outcome);
    }

    @Override
    public void close() {
        if (context != null && context.taskId().partition() == CANARY_PARTITION) {
            // The task (and its drift) moves to another instance, which shows it from its restored store.
            metrics.forgetDrifts();
        }
    }

    /** How often the stores are swept for expiry: a tenth of the retention, within [1 s, 1 min]. */
    static Duration sweepEvery(Duration retention) {
        Duration tenth = retention.dividedBy(10);
        return tenth.compareTo(Duration.ofSeconds(1)) < 0
                ? Duration.ofSeconds(1)
                : tenth.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : tenth;
    }

    /**
     * The retention sweep (docs/judging.md, "State stores"), on the wall clock so an idle partition is swept
     * too, in the task's exactly-once transaction like every record: the next {@link Judging#SWEEP_BATCH}
     * entries of {@code pending}, {@code answers} and {@code ballots}; what waited longer than the retention
     * is dead-lettered ({@code expired}), an open ballot's judgment is emitted.
     */
    private void expire(long now) {
        Outcome outcome = judging.expire(Instant.ofEpochMilli(now), pendingRetention, Judging.SWEEP_BATCH);
        for (Judgment judgment : outcome.judgments()) {
            emitter.emit(Topics.JUDGMENTS, judgment.key(), judgment.judgmentId(), judgment, now);
        }
        for (ReviewRequest review : outcome.reviews()) {
            emitter.emit(Topics.REVIEWS, review.key(), review.reviewId(), review, now);
        }
        for (Outcome.Rejection r : outcome.rejections()) {
            Record<byte[], byte[]> letter = new Record<>(
                    r.response().key().getBytes(StandardCharsets.UTF_8), Json.writeBytes(r.response()), now);
            deadLetter(letter, responsesTopic, r.readAt(), r.reasonClass(), r.reason());
        }
        for (Outcome.Unanswered u : outcome.unanswered()) {
            Record<byte[], byte[]> letter =
                    new Record<>(u.request().key().getBytes(StandardCharsets.UTF_8), Json.writeBytes(u.request()), now);
            emitter.deadLetter(letter, promptsTopic, -1, -1, Judging.EXPIRED, u.reason());
        }
        int letters = outcome.rejections().size() + outcome.unanswered().size();
        if (letters > 0) {
            LOG.warnf(
                    "dead-lettered %d responses or answers and %d judge requests that waited longer than %s (expired)",
                    outcome.rejections().size(), outcome.unanswered().size(), pendingRetention);
        } else if (!outcome.swept().isEmpty()) {
            LOG.debugf("forgot %d entries kept longer than %s", outcome.swept().size(), pendingRetention);
        }
        metrics.count(outcome);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata metadata = context.recordMetadata().orElseThrow();
        JudgeInputs.Source source = JudgeInputs.take(record.headers())
                .orElseGet(() ->
                        new JudgeInputs.Source(metadata.topic(), new ReadAt(metadata.partition(), metadata.offset())));
        try (Trace trace = emitter.handling(record, source.topic())) {
            judge(record, source);
        }
    }

    /** Judges one item or response, under its trace: what it emits carries the trace on (docs/traces.md). */
    private void judge(Record<byte[], byte[]> record, JudgeInputs.Source source) {
        boolean item = itemsTopic.equals(source.topic());
        byte[] keyBytes = record.key() == null || record.key().length == 0 ? null : record.key();
        Record<byte[], byte[]> read = record.withKey(keyBytes);
        String key = keyBytes == null ? null : new String(keyBytes, StandardCharsets.UTF_8);
        try {
            if (key == null) {
                throw new Rejected("no-key", "the record has no key");
            }
            if (source.cutFrom() >= 0) {
                // As every stage refuses it (EventType.parse), with the letter's length header as the kit writes it.
                read.headers()
                        .add(
                                DeadLetters.VALUE_BYTES,
                                Integer.toString(source.cutFrom()).getBytes(StandardCharsets.UTF_8));
                throw new Rejected(
                        "invalid",
                        "too large: " + source.cutFrom() + " bytes; an event is at most " + EventType.MAX_EVENT_BYTES
                                + " bytes (EventType.MAX_EVENT_BYTES)");
            }
            if (item && record.value() == null) {
                judging.onItemRetired(key);
                return;
            }
            Outcome outcome = item
                    ? judging.onItem(item(key, record.value(), record.headers()))
                    // The response's trace goes with it into the pending store, for a letter made without its headers.
                    : judging.onResponse(
                            response(key, record.value(), record.headers()),
                            source.at().withTrace(header(record, Traces.TRACEPARENT)));
            emit(read, source, outcome);
        } catch (Rejected e) {
            refuse(read, source, item, e.reasonClass, e.getMessage());
        } catch (InvalidEventException e) {
            refuse(read, source, item, "invalid", e.getMessage());
        }
    }

    /**
     * Dead-letters a refused response; skips a refused item, counted and logged at debug: the prompt
     * generator reads the items first and owns their dead letters, so each bad item is dead-lettered once.
     */
    private void refuse(
            Record<byte[], byte[]> record, JudgeInputs.Source source, boolean item, String reasonClass, String reason) {
        if (item) {
            metrics.itemRefused(reasonClass);
            LOG.debugf("skipped an item the contract refuses (the prompt generator dead-letters it): %s", reason);
        } else {
            deadLetter(record, source.topic(), source.at(), reasonClass, reason);
        }
    }

    private static BenchmarkItem item(String key, byte[] value, Headers headers) {
        BenchmarkItem item = EventType.BENCHMARK_ITEM.parse(value, BenchmarkItem.class, headers);
        requireKey(key, item.key(), "item");
        return item;
    }

    private static ModelResponse response(String key, byte[] value, Headers headers) {
        if (value == null) {
            throw new Rejected("tombstone", "a response cannot be a tombstone");
        }
        ModelResponse response = EventType.MODEL_RESPONSE.parse(value, ModelResponse.class, headers);
        requireKey(key, response.key(), "response");
        return response;
    }

    private static void requireKey(String key, String eventKey, String what) {
        if (!key.equals(eventKey)) {
            throw new Rejected("key-mismatch", "key " + key + " is not the " + what + "'s key " + eventKey);
        }
    }

    private void emit(Record<byte[], byte[]> record, JudgeInputs.Source source, Outcome outcome) {
        long timestamp = record.timestamp();
        for (Judgment judgment : outcome.judgments()) {
            emitter.emit(Topics.JUDGMENTS, judgment.key(), judgment.judgmentId(), judgment, timestamp);
        }
        for (ReviewRequest review : outcome.reviews()) {
            emitter.emit(Topics.REVIEWS, review.key(), review.reviewId(), review, timestamp);
        }
        for (PromptRequest request : outcome.requests()) {
            emitter.emit(Topics.PROMPTS, request.key(), request.requestId(), request, timestamp);
        }
        for (PromptRequest repair : outcome.repairs()) {
            emitter.emit(Topics.PROMPTS, repair.key(), repair.requestId(), repair, timestamp);
        }
        for (Outcome.Rejection rejection : outcome.rejections()) {
            if (itemsTopic.equals(source.topic())) {
                // A response that waited for the item being processed: it comes back from the store
                // without its headers, and its letter names where it was read, not the item.
                deadLetter(
                        new Record<>(record.key(), Json.writeBytes(rejection.response()), record.timestamp()),
                        responsesTopic,
                        rejection.readAt(),
                        rejection.reasonClass(),
                        rejection.reason());
            } else {
                deadLetter(record, source.topic(), rejection.readAt(), rejection.reasonClass(), rejection.reason());
            }
        }
        metrics.count(outcome);
    }

    private void deadLetter(
            Record<byte[], byte[]> record, String topic, ReadAt readAt, String reasonClass, String reason) {
        if (readAt.traceparent() != null && record.headers().lastHeader(Traces.TRACEPARENT) == null) {
            // A response rebuilt from the store: its letter is in the trace the response came in.
            record.headers().add(Traces.TRACEPARENT, readAt.traceparent().getBytes(StandardCharsets.UTF_8));
        }
        emitter.deadLetter(record, topic, readAt.partition(), readAt.offset(), reasonClass, reason);
    }

    private static String header(Record<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** An event that is well-formed JSON but cannot be processed here. */
    private static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String reasonClass;

        Rejected(String reasonClass, String reason) {
            super(reason);
            this.reasonClass = reasonClass;
        }
    }
}
