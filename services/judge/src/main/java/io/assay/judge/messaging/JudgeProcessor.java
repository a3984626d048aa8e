package io.assay.judge.messaging;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.CloudEvents;
import io.assay.contracts.DeadLetters;
import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.Json;
import io.assay.contracts.Judgment;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.PromptRequest;
import io.assay.judge.judging.Judging;
import io.assay.judge.judging.Outcome;
import io.assay.judge.llm.LlmJudging;
import io.assay.judge.scoring.ReferenceJudge;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Thin Kafka glue around {@link Judging}: parses items and responses from bytes (schema-validated),
 * hands them to the task's {@code Judging} over its {@link StreamsJudgingStore}, and forwards what it
 * returns: judgments and judge prompt requests with their CloudEvents headers, rejected events to the
 * dead-letter sink with their reason. Values stay raw bytes so a dead letter carries the original.
 */
final class JudgeProcessor implements Processor<String, byte[], String, byte[]> {
    static final String STAGE = "judge";
    static final String SOURCE = "/assay/judge";

    private static final Logger LOG = Logger.getLogger(JudgeProcessor.class);

    private final ReferenceJudge reference;
    private final LlmJudging llm;
    private final JudgeMetrics metrics;
    private final String itemsTopic;
    private final String responsesTopic;
    private ProcessorContext<String, byte[]> context;
    private Judging judging;

    JudgeProcessor(
            ReferenceJudge reference, LlmJudging llm, JudgeMetrics metrics, String itemsTopic, String responsesTopic) {
        this.reference = reference;
        this.llm = llm;
        this.metrics = metrics;
        this.itemsTopic = itemsTopic;
        this.responsesTopic = responsesTopic;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        // Specs from the global stores: a typed config registry would hand over these two lookups instead.
        BenchmarkSpecStore benchmarks = new BenchmarkSpecStore(context.getStateStore(BenchmarkSpecStore.STORE));
        ModelSpecStore models = new ModelSpecStore(context.getStateStore(ModelSpecStore.STORE));
        this.judging =
                new Judging(reference, llm, new StreamsJudgingStore(context), benchmarks::spec, models::simulated);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        boolean item = itemsTopic.equals(source.topic());
        try {
            if (record.key() == null) {
                throw new Rejected("no-key", "the record has no key");
            }
            if (item && record.value() == null) {
                judging.onItemRetired(record.key());
                return;
            }
            Outcome outcome =
                    item ? judging.onItem(item(record)) : judging.onResponse(response(record), source.offset());
            emit(record, item, outcome);
        } catch (Rejected e) {
            deadLetter(record, source.topic(), source.offset(), e.reasonClass, e.getMessage());
        } catch (InvalidEventException e) {
            deadLetter(record, source.topic(), source.offset(), "invalid", e.getMessage());
        }
    }

    private static BenchmarkItem item(Record<String, byte[]> record) {
        BenchmarkItem item = EventType.BENCHMARK_ITEM.parse(record.value(), BenchmarkItem.class);
        requireKey(record, item.key(), "item");
        return item;
    }

    private static ModelResponse response(Record<String, byte[]> record) {
        if (record.value() == null) {
            throw new Rejected("tombstone", "a response cannot be a tombstone");
        }
        ModelResponse response = EventType.MODEL_RESPONSE.parse(record.value(), ModelResponse.class);
        requireKey(record, response.key(), "response");
        return response;
    }

    private static void requireKey(Record<String, byte[]> record, String key, String what) {
        if (!record.key().equals(key)) {
            throw new Rejected("key-mismatch", "key " + record.key() + " is not the " + what + "'s key " + key);
        }
    }

    private void emit(Record<String, byte[]> record, boolean item, Outcome outcome) {
        outcome.judgments().forEach(judgment -> forwardJudgment(record, judgment));
        outcome.requests().forEach(request -> forwardRequest(record, request));
        outcome.repairs().forEach(repair -> forwardRequest(record, repair));
        for (Outcome.Rejection rejection : outcome.rejections()) {
            // A response that waited for its item comes back from the store, without its headers.
            Record<String, byte[]> rejected = item
                    ? new Record<>(record.key(), Json.writeBytes(rejection.response()), record.timestamp())
                    : record;
            deadLetter(rejected, responsesTopic, rejection.offset(), rejection.reasonClass(), rejection.reason());
        }
        metrics.count(outcome);
    }

    private void forwardJudgment(Record<String, byte[]> cause, Judgment judgment) {
        Headers headers = CloudEvents.headers(EventType.JUDGMENT, judgment.judgmentId(), SOURCE);
        context.forward(
                new Record<>(judgment.key(), Json.writeBytes(judgment), cause.timestamp(), headers),
                JudgeTopology.JUDGMENTS_SINK);
    }

    private void forwardRequest(Record<String, byte[]> cause, PromptRequest request) {
        Headers headers = CloudEvents.headers(EventType.PROMPT_REQUEST, request.requestId(), SOURCE);
        context.forward(
                new Record<>(request.key(), Json.writeBytes(request), cause.timestamp(), headers),
                JudgeTopology.PROMPTS_SINK);
    }

    private void deadLetter(
            Record<String, byte[]> record, String topic, long offset, String reasonClass, String reason) {
        int partition = context.recordMetadata().orElseThrow().partition();
        LOG.warnf("dead letter from %s-%d@%d (%s): %s", topic, partition, offset, reasonClass, reason);
        Headers headers = DeadLetters.headers(
                record.headers(), STAGE, reason == null ? reasonClass : reason, topic, partition, offset);
        context.forward(record.withHeaders(headers), JudgeTopology.DEAD_LETTERS_SINK);
        metrics.deadLetter(topic, reasonClass);
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
