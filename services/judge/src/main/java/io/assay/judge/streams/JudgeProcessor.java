package io.assay.judge.streams;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.CloudEvents;
import io.assay.contracts.DeadLetters;
import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.Json;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.Protocol;
import io.assay.contracts.Purpose;
import io.assay.contracts.Topics;
import io.assay.judge.scoring.ReferenceJudge;
import io.assay.judge.scoring.UnscorableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * Joins responses with their items, partition by partition (both topics are keyed
 * {@code benchmark/itemId} with the same partition count), and emits reference judgments.
 *
 * <p>Arrival order is free: a response whose item (at its revision) is not here yet waits in the
 * persistent {@code pending} store and is judged when the item arrives; a response to an older
 * revision than the stored item is stale and dropped. Invalid events go to the dead-letter topic
 * and the stream goes on. All state is in changelogged stores, so a restart resumes exactly where
 * the last committed transaction ended (exactly-once v2).
 */
final class JudgeProcessor implements Processor<String, byte[], String, byte[]> {
    /** Item key to the latest item's bytes. */
    static final String ITEMS_STORE = "items";
    /** {@code itemKey + SEPARATOR + requestId} to a waiting response (offset + bytes). */
    static final String PENDING_STORE = "pending";
    /** Sorts before every other character, so a prefix scan of one item sees only its responses. */
    static final String SEPARATOR = "\u0000";
    static final String STAGE = "judge";
    static final String SOURCE = "/assay/judge";

    private static final Logger LOG = Logger.getLogger(JudgeProcessor.class);
    private static final StringSerializer KEYS = new StringSerializer();

    private final ReferenceJudge judge;
    private final JudgeMetrics metrics;

    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> items;
    private KeyValueStore<String, byte[]> pending;
    private BenchmarkSpecStore specs;

    JudgeProcessor(ReferenceJudge judge, JudgeMetrics metrics) {
        this.judge = judge;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.items = context.getStateStore(ITEMS_STORE);
        this.pending = context.getStateStore(PENDING_STORE);
        this.specs = new BenchmarkSpecStore(context.getStateStore(BenchmarkSpecStore.STORE));
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        try {
            if (record.key() == null) {
                throw new Rejected("no-key", "the record has no key");
            }
            if (Topics.ITEMS.name().equals(source.topic())) {
                onItem(record);
            } else {
                onResponse(record, source.offset());
            }
        } catch (Rejected e) {
            deadLetter(record, source.topic(), source.partition(), source.offset(), e.reasonClass, e.getMessage());
        } catch (InvalidEventException e) {
            deadLetter(record, source.topic(), source.partition(), source.offset(), "invalid", e.getMessage());
        }
    }

    private void onItem(Record<String, byte[]> record) {
        String key = record.key();
        if (record.value() == null) {
            // A tombstone retires the item; responses to it wait until it comes back.
            items.delete(key);
            return;
        }
        BenchmarkItem item = EventType.BENCHMARK_ITEM.parse(record.value(), BenchmarkItem.class);
        if (!key.equals(item.key())) {
            throw new Rejected("key-mismatch", "key " + key + " is not the item's key " + item.key());
        }
        byte[] stored = items.get(key);
        // A revision is judged against the content it was first published with, as the prompt generator
        // prompts it: a re-publish changes nothing, a change without a revision bump is refused there,
        // and an older revision arriving late is ignored.
        int storedRevision = stored == null ? 0 : read(stored, BenchmarkItem.class).revisionOrDefault();
        if (storedRevision >= item.revisionOrDefault()) {
            LOG.debugf("ignoring revision %s of %s: revision %s is stored", (Object) item.revisionOrDefault(), key, storedRevision);
            return;
        }
        items.put(key, record.value());
        drain(record, item);
    }

    /** Judges the responses that waited for this revision; drops those to older revisions. */
    private void drain(Record<String, byte[]> record, BenchmarkItem item) {
        int revision = item.revisionOrDefault();
        List<KeyValue<String, byte[]>> waiting = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = pending.prefixScan(record.key() + SEPARATOR, KEYS)) {
            it.forEachRemaining(waiting::add);
        }
        for (KeyValue<String, byte[]> entry : waiting) {
            ByteBuffer buffer = ByteBuffer.wrap(entry.value);
            long offset = buffer.getLong();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            ModelResponse response = read(bytes, ModelResponse.class);
            if (response.revision() > revision) {
                continue;
            }
            pending.delete(entry.key);
            if (response.revision() < revision) {
                metrics.response("stale");
                continue;
            }
            Record<String, byte[]> original = record.withValue(bytes).withHeaders(new RecordHeaders());
            judgeAndEmit(original, offset, item, response);
        }
    }

    private void onResponse(Record<String, byte[]> record, long offset) {
        if (record.value() == null) {
            throw new Rejected("tombstone", "a response cannot be a tombstone");
        }
        ModelResponse response = EventType.MODEL_RESPONSE.parse(record.value(), ModelResponse.class);
        if (!record.key().equals(response.key())) {
            throw new Rejected("key-mismatch", "key " + record.key() + " is not the response's key " + response.key());
        }
        if (response.purpose() == Purpose.JUDGE) {
            // LLM-judge verdicts are parsed by the judge protocols (a later issue).
            metrics.response("skipped");
            return;
        }
        if (response.failed()) {
            metrics.response("failed");
            return;
        }
        byte[] stored = items.get(record.key());
        BenchmarkItem item = stored == null ? null : read(stored, BenchmarkItem.class);
        if (item != null && item.revisionOrDefault() == response.revision()) {
            judgeAndEmit(record, offset, item, response);
        } else if (item != null && item.revisionOrDefault() > response.revision()) {
            metrics.response("stale");
        } else {
            byte[] value = ByteBuffer.allocate(Long.BYTES + record.value().length)
                    .putLong(offset).put(record.value()).array();
            pending.put(record.key() + SEPARATOR + response.requestId(), value);
            metrics.response("pending");
        }
    }

    /** Runs every reference judge of the benchmark on the response and forwards the judgments. */
    private void judgeAndEmit(Record<String, byte[]> record, long offset, BenchmarkItem item, ModelResponse response) {
        boolean judged = false;
        for (JudgeSpec spec : specs.spec(item.benchmark()).judgesOrDefault()) {
            if (spec.protocol() != Protocol.REFERENCE) {
                // LLM-judge protocols come with a later issue; their judges see nothing yet.
                metrics.judgment(item.benchmark(), spec.id(), "skipped");
                continue;
            }
            Judgment judgment;
            try {
                judgment = judge.judge(item, response, spec);
            } catch (UnscorableException e) {
                LOG.warnf("judge %s cannot score %s: %s", spec.id(), record.key(), e.getMessage());
                metrics.judgment(item.benchmark(), spec.id(), "unscorable");
                continue;
            } catch (RuntimeException e) {
                // A scorer bug must not stop the stream: park the response and go on.
                LOG.errorf(e, "judge %s failed on %s", spec.id(), record.key());
                deadLetter(record, Topics.RESPONSES.name(), context.recordMetadata().orElseThrow().partition(), offset,
                        "error", "judge " + spec.id() + " failed: " + e);
                continue;
            }
            judged = true;
            metrics.judgment(item.benchmark(), spec.id(), Boolean.TRUE.equals(judgment.correct()) ? "correct" : "incorrect");
            Headers headers = CloudEvents.headers(EventType.JUDGMENT, judgment.judgmentId(), SOURCE);
            context.forward(new Record<>(judgment.key(), Json.writeBytes(judgment), record.timestamp(), headers),
                    JudgeTopology.JUDGMENTS_SINK);
        }
        metrics.response(judged ? "judged" : "skipped");
    }

    private void deadLetter(Record<String, byte[]> record, String topic, int partition, long offset,
                            String reasonClass, String reason) {
        LOG.warnf("dead letter from %s-%d@%d (%s): %s", topic, partition, offset, reasonClass, reason);
        Headers headers = DeadLetters.headers(record.headers(), STAGE, reason == null ? reasonClass : reason, topic,
                partition, offset);
        context.forward(record.withHeaders(headers), JudgeTopology.DEAD_LETTERS_SINK);
        metrics.deadLetter(topic, reasonClass);
    }

    /** Stored values were validated on the way in; reading them back needs no schema check. */
    private static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return Json.mapper().readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
