package io.assay.judge.messaging;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.CloudEvents;
import io.assay.contracts.DeadLetters;
import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.Json;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Protocol;
import io.assay.contracts.Purpose;
import io.assay.judge.llm.Ballot;
import io.assay.judge.llm.LlmJudging;
import io.assay.judge.scoring.ReferenceJudge;
import io.assay.judge.scoring.UnscorableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 *
 * <p>LLM judges ({@code score}, {@code pairwise}, {@code preference}) do not decide here: the processor
 * opens a {@link Ballot} (persistent {@code ballots} store) and emits JUDGE prompt requests to
 * {@code assay.prompts}; the judge model's replies come back on {@code assay.responses} (same key, so the
 * same partition and task) and fill the ballot, which becomes a judgment once every verdict is in.
 * Pairwise and preference judges pair a candidate's answer with each baseline's answer to the same item
 * revision and variant; answers wait in the persistent {@code answers} store, so the pair forms in
 * either arrival order and across restarts.
 */
final class JudgeProcessor implements Processor<String, byte[], String, byte[]> {
    /** Item key to the latest item's bytes. */
    static final String ITEMS_STORE = "items";
    /** {@code itemKey + SEPARATOR + requestId} to a waiting response (offset + bytes). */
    static final String PENDING_STORE = "pending";
    /** Sorts before every other character, so a prefix scan of one item sees only its responses. */
    static final String SEPARATOR = "\u0000";
    /** Ballot id (= judgment id) to an open or finished {@link Ballot}. */
    static final String BALLOTS_STORE = "ballots";
    /** Judge request id to the {@link Call} awaiting its reply. */
    static final String CALLS_STORE = "judge-calls";
    /** {@code itemKey \0 revision \0 variant \0 modelId} to an answer waiting to be paired. */
    static final String ANSWERS_STORE = "answers";

    static final String STAGE = "judge";
    static final String SOURCE = "/assay/judge";

    private static final Logger LOG = Logger.getLogger(JudgeProcessor.class);
    private static final StringSerializer KEYS = new StringSerializer();

    private final ReferenceJudge judge;
    private final LlmJudging llm;
    private final JudgeMetrics metrics;

    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> items;
    private KeyValueStore<String, byte[]> pending;
    private BenchmarkSpecStore specs;
    private ModelSpecStore models;
    private KeyValueStore<String, byte[]> ballots;
    private KeyValueStore<String, byte[]> calls;
    private KeyValueStore<String, byte[]> answers;

    private final String itemsTopic;
    private final String responsesTopic;

    JudgeProcessor(
            ReferenceJudge judge, LlmJudging llm, JudgeMetrics metrics, String itemsTopic, String responsesTopic) {
        this.judge = judge;
        this.llm = llm;
        this.metrics = metrics;
        this.itemsTopic = itemsTopic;
        this.responsesTopic = responsesTopic;
    }

    /**
     * A judge request awaiting its reply.
     *
     * @param ballotId the ballot it fills
     * @param slot the slot index
     * @param request the request sent (a repair continues its conversation)
     */
    record Call(String ballotId, int slot, PromptRequest request) {}

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.items = context.getStateStore(ITEMS_STORE);
        this.pending = context.getStateStore(PENDING_STORE);
        this.specs = new BenchmarkSpecStore(context.getStateStore(BenchmarkSpecStore.STORE));
        this.models = new ModelSpecStore(context.getStateStore(ModelSpecStore.STORE));
        this.ballots = context.getStateStore(BALLOTS_STORE);
        this.calls = context.getStateStore(CALLS_STORE);
        this.answers = context.getStateStore(ANSWERS_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        try {
            if (record.key() == null) {
                throw new Rejected("no-key", "the record has no key");
            }
            if (itemsTopic.equals(source.topic())) {
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
        int storedRevision =
                stored == null ? 0 : read(stored, BenchmarkItem.class).revisionOrDefault();
        if (storedRevision >= item.revisionOrDefault()) {
            LOG.debugf(
                    "ignoring revision %s of %s: revision %s is stored",
                    (Object) item.revisionOrDefault(), key, storedRevision);
            return;
        }
        items.put(key, record.value());
        forgetOlderAnswers(item);
        drain(record, item);
    }

    /** Answers to older revisions can never pair again: a new revision is judged on its own answers. */
    private void forgetOlderAnswers(BenchmarkItem item) {
        String prefix = item.key() + SEPARATOR;
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = answers.prefixScan(prefix, KEYS)) {
            while (it.hasNext()) {
                String k = it.next().key;
                String rest = k.substring(prefix.length());
                int end = rest.indexOf(SEPARATOR);
                if (end > 0 && Integer.parseInt(rest.substring(0, end)) < item.revisionOrDefault()) {
                    old.add(k);
                }
            }
        }
        old.forEach(answers::delete);
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
            onVerdict(record, response);
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
                    .putLong(offset)
                    .put(record.value())
                    .array();
            pending.put(record.key() + SEPARATOR + response.requestId(), value);
            metrics.response("pending");
        }
    }

    /**
     * Runs every judge of the benchmark on the response: reference judges decide at once, LLM judges
     * open ballots and send judge requests.
     */
    private void judgeAndEmit(Record<String, byte[]> record, long offset, BenchmarkItem item, ModelResponse response) {
        boolean judged = false;
        boolean stored = false;
        for (JudgeSpec spec : specs.spec(item.benchmark()).judgesOrDefault()) {
            String protocol =
                    spec.protocol() == null ? "unknown" : spec.protocol().wireName();
            if (spec.protocol() != Protocol.REFERENCE) {
                Optional<JudgeSpec> resolved = llm.resolve(spec);
                if (resolved.isEmpty()) {
                    LOG.warnf(
                            "judge %s of %s has no judge model or no %s prompt template; skipped",
                            spec.id(), item.benchmark(), protocol);
                    metrics.verdict(spec.id(), protocol, "misconfigured");
                    continue;
                }
                if (spec.protocol() == Protocol.SCORE) {
                    open(record, item, resolved.get(), response, null);
                } else {
                    if (!stored) {
                        answers.put(answerKey(item, response.variant().label(), response.modelId()), record.value());
                        stored = true;
                    }
                    pair(record, item, resolved.get(), response);
                }
                judged = true;
                continue;
            }
            Judgment judgment;
            try {
                judgment = judge.judge(item, response, spec);
            } catch (UnscorableException e) {
                LOG.warnf("judge %s cannot score %s: %s", spec.id(), record.key(), e.getMessage());
                metrics.verdict(spec.id(), protocol, "unscorable");
                continue;
            } catch (RuntimeException e) {
                // A scorer bug must not stop the stream: park the response and go on.
                LOG.errorf(e, "judge %s failed on %s", spec.id(), record.key());
                deadLetter(
                        record,
                        responsesTopic,
                        context.recordMetadata().orElseThrow().partition(),
                        offset,
                        "error",
                        "judge " + spec.id() + " failed: " + e);
                continue;
            }
            judged = true;
            String outcome = judgment.score() != null
                    ? "graded"
                    : Boolean.TRUE.equals(judgment.correct()) ? "correct" : "incorrect";
            emit(record, judgment, outcome);
        }
        metrics.response(judged ? "judged" : "skipped");
    }

    /**
     * Pairs an answer with the stored answers of the same item revision and variant: as a candidate with
     * each baseline, and, when it is a baseline, as the baseline of every other model's answer.
     */
    private void pair(Record<String, byte[]> record, BenchmarkItem item, JudgeSpec judge, ModelResponse response) {
        Set<String> baselines = new LinkedHashSet<>();
        if (judge.baselines() != null && !judge.baselines().isEmpty()) {
            baselines.addAll(judge.baselines());
        } else {
            List<String> benchmarkBaselines = specs.spec(item.benchmark()).baselines();
            if (benchmarkBaselines != null) {
                baselines.addAll(benchmarkBaselines);
            }
        }
        String variant = response.variant().label();
        for (String baseline : baselines) {
            if (baseline.equals(response.modelId())) {
                continue;
            }
            byte[] other = answers.get(answerKey(item, variant, baseline));
            if (other != null) {
                open(record, item, judge, response, read(other, ModelResponse.class));
            }
        }
        if (baselines.contains(response.modelId())) {
            String prefix = answerKey(item, variant, "");
            List<KeyValue<String, byte[]>> others = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> it = answers.prefixScan(prefix, KEYS)) {
                it.forEachRemaining(others::add);
            }
            for (KeyValue<String, byte[]> other : others) {
                String modelId = other.key.substring(prefix.length());
                if (!modelId.equals(response.modelId())) {
                    open(record, item, judge, read(other.value, ModelResponse.class), response);
                }
            }
        }
    }

    /** Opens a ballot unless it exists (a redelivered or duplicate answer), and sends its judge requests. */
    private void open(
            Record<String, byte[]> record,
            BenchmarkItem item,
            JudgeSpec judge,
            ModelResponse subject,
            ModelResponse baseline) {
        String ballotId = LlmJudging.ballotId(judge, subject, baseline);
        if (ballots.get(ballotId) != null) {
            metrics.response("duplicate");
            return;
        }
        LlmJudging.Opened opened = llm.open(item, judge, subject, baseline, models::simulated);
        ballots.put(ballotId, Json.writeBytes(opened.ballot()));
        for (int i = 0; i < opened.requests().size(); i++) {
            PromptRequest request = opened.requests().get(i);
            calls.put(request.requestId(), Json.writeBytes(new Call(ballotId, i, request)));
            send(record, request);
        }
        metrics.requests(judge.id(), "first", opened.requests().size());
    }

    /** A judge model's reply: fills its ballot slot, repairs once, emits the judgment when complete. */
    private void onVerdict(Record<String, byte[]> record, ModelResponse response) {
        byte[] callBytes = calls.get(response.requestId());
        if (callBytes == null) {
            // Not ours, or a redelivery of a reply already read.
            metrics.response("skipped");
            return;
        }
        Call call = read(callBytes, Call.class);
        calls.delete(response.requestId());
        metrics.replyRead();
        byte[] ballotBytes = ballots.get(call.ballotId());
        if (ballotBytes == null) {
            metrics.response("skipped");
            return;
        }
        Ballot ballot = read(ballotBytes, Ballot.class);
        if (ballot.done()
                || !Ballot.Slot.WAITING.equals(ballot.slots().get(call.slot()).status())) {
            metrics.response("duplicate");
            return;
        }
        metrics.response("verdict");
        LlmJudging.Step step = llm.read(ballot, call.slot(), call.request(), response);
        Ballot updated = step.ballot();
        Ballot.Slot slot = updated.slots().get(call.slot());
        if (slot.problem() != null) {
            metrics.unparseable(ballot.judge().id());
        }
        if (step.repair() != null) {
            calls.put(
                    step.repair().requestId(),
                    Json.writeBytes(new Call(ballot.ballotId(), call.slot(), step.repair())));
            send(record, step.repair());
            metrics.requests(ballot.judge().id(), "repair", 1);
        }
        if (updated.complete()) {
            Judgment judgment = llm.judgment(updated);
            for (Map.Entry<String, Boolean> e :
                    LlmJudging.swapConsistency(updated).entrySet()) {
                metrics.swappedPair(ballot.judge().id(), e.getValue());
            }
            emit(record, judgment, outcome(judgment));
            updated = updated.finished();
        }
        ballots.put(updated.ballotId(), Json.writeBytes(updated));
    }

    private static String outcome(Judgment judgment) {
        if (judgment.unparseable()) {
            return "unparseable";
        }
        if (judgment.pairwise() != null) {
            return judgment.pairwise().outcome().wireName();
        }
        if (judgment.preference() != null) {
            double p = judgment.preference();
            return p > 1.5 ? "subject" : p < 1.5 ? "baseline" : "tie";
        }
        return "scored";
    }

    private void emit(Record<String, byte[]> record, Judgment judgment, String outcome) {
        metrics.judgment(judgment.judge().id(), judgment.judge().protocol().wireName(), outcome);
        Headers headers = CloudEvents.headers(EventType.JUDGMENT, judgment.judgmentId(), SOURCE);
        context.forward(
                new Record<>(judgment.key(), Json.writeBytes(judgment), record.timestamp(), headers),
                JudgeTopology.JUDGMENTS_SINK);
    }

    private void send(Record<String, byte[]> record, PromptRequest request) {
        Headers headers = CloudEvents.headers(EventType.PROMPT_REQUEST, request.requestId(), SOURCE);
        context.forward(
                new Record<>(request.key(), Json.writeBytes(request), record.timestamp(), headers),
                JudgeTopology.PROMPTS_SINK);
    }

    private static String answerKey(BenchmarkItem item, String variant, String modelId) {
        return item.key() + SEPARATOR + item.revisionOrDefault() + SEPARATOR + variant + SEPARATOR + modelId;
    }

    private void deadLetter(
            Record<String, byte[]> record,
            String topic,
            int partition,
            long offset,
            String reasonClass,
            String reason) {
        LOG.warnf("dead letter from %s-%d@%d (%s): %s", topic, partition, offset, reasonClass, reason);
        Headers headers = DeadLetters.headers(
                record.headers(), STAGE, reason == null ? reasonClass : reason, topic, partition, offset);
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
