package io.assay.judge.messaging;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Json;
import io.assay.contracts.ModelResponse;
import io.assay.judge.drift.Canary;
import io.assay.judge.drift.CanaryRef;
import io.assay.judge.drift.CanarySet;
import io.assay.judge.drift.Drift;
import io.assay.judge.judging.JudgeCall;
import io.assay.judge.judging.JudgingStore;
import io.assay.judge.judging.ReadAt;
import io.assay.judge.llm.Ballot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@link JudgingStore} over a stream task's persistent, changelogged stores. Values are JSON; a key
 * starts with its item's key and {@link #SEPARATOR}, so a prefix scan sees one item's entries only.
 */
final class StreamsJudgingStore implements JudgingStore {
    /** Item key to the latest item. */
    static final String ITEMS = "items";
    /** {@code itemKey \0 requestId} to a waiting response (where it was read, then the response). */
    static final String PENDING = "pending";
    /** Ballot id (= judgment id) to an open or finished {@link Ballot}. */
    static final String BALLOTS = "ballots";
    /** Judge request id to the {@link JudgeCall} awaiting its reply. */
    static final String CALLS = "judge-calls";
    /** {@code itemKey \0 revision \0 variant \0 modelId} to an answer waiting to be paired. */
    static final String ANSWERS = "answers";
    /**
     * The judges' canaries (docs/judging.md, "Judge drift"), kept by the task of partition 0 only:
     * {@code set \0 benchmark \0 judge} to a {@link CanarySet}, {@code canary \0 benchmark \0 judge \0 id}
     * to a {@link Canary}, {@code ballot \0 ballotId} to the {@link CanaryRef} waiting for it,
     * {@code drift \0 benchmark \0 judge} to the judge's last {@link Drift}.
     */
    static final String CANARIES = "canaries";
    /** Every store, for the topology. */
    static final List<String> STORES = List.of(ITEMS, PENDING, BALLOTS, CALLS, ANSWERS, CANARIES);
    /** Sorts before every other character, so a prefix scan of one item sees only its entries. */
    static final String SEPARATOR = "\u0000";

    private static final StringSerializer KEYS = new StringSerializer();
    /** The first byte of a waiting response that records its partition too. */
    private static final byte WITH_PARTITION = 1;
    /** The first byte of a waiting response that records its partition and its traceparent too. */
    private static final byte WITH_TRACE = 2;

    private final KeyValueStore<String, byte[]> items;
    private final KeyValueStore<String, byte[]> pending;
    private final KeyValueStore<String, byte[]> ballots;
    private final KeyValueStore<String, byte[]> calls;
    private final KeyValueStore<String, byte[]> answers;
    private final KeyValueStore<String, byte[]> canaries;
    /** Per store, the last key the retention sweep read ({@link #next}). */
    private final Map<String, String> cursors = new HashMap<>();

    StreamsJudgingStore(ProcessorContext<?, ?> context) {
        this.items = context.getStateStore(ITEMS);
        this.pending = context.getStateStore(PENDING);
        this.ballots = context.getStateStore(BALLOTS);
        this.calls = context.getStateStore(CALLS);
        this.answers = context.getStateStore(ANSWERS);
        this.canaries = context.getStateStore(CANARIES);
    }

    @Override
    public BenchmarkItem item(String itemKey) {
        return read(items.get(itemKey), BenchmarkItem.class);
    }

    @Override
    public void putItem(BenchmarkItem item) {
        items.put(item.key(), Json.writeBytes(item));
    }

    @Override
    public void deleteItem(String itemKey) {
        items.delete(itemKey);
    }

    @Override
    public List<Waiting> waiting(String itemKey) {
        try (KeyValueIterator<String, byte[]> it = pending.prefixScan(itemKey + SEPARATOR, KEYS)) {
            return waiting(it);
        }
    }

    @Override
    public List<Waiting> nextWaiting(int limit) {
        return next(pending, PENDING, limit, StreamsJudgingStore::waiting);
    }

    private static List<Waiting> waiting(KeyValueIterator<String, byte[]> it) {
        List<Waiting> waiting = new ArrayList<>();
        it.forEachRemaining(entry -> waiting.add(waiting(entry.value)));
        return waiting;
    }

    private static Waiting waiting(byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        ReadAt readAt = readAt(buffer);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return new Waiting(read(bytes, ModelResponse.class), readAt);
    }

    /**
     * The next at most {@code limit} entries of {@code store} in key order after the last key this store
     * returned from it; once the end is reached the next call starts from the first key again. The position
     * is kept in memory: after a restart a sweep starts from the first key.
     */
    private <T> List<T> next(KeyValueStore<String, byte[]> store, String name, int limit, Function<byte[], T> read) {
        String after = cursors.get(name);
        List<T> found = new ArrayList<>();
        String last = null;
        try (KeyValueIterator<String, byte[]> it = after == null ? store.all() : store.range(after, null)) {
            while (found.size() < limit && it.hasNext()) {
                KeyValue<String, byte[]> entry = it.next();
                if (entry.key.equals(after)) {
                    continue;
                }
                found.add(read.apply(entry.value));
                last = entry.key;
            }
            if (found.size() < limit || !it.hasNext()) {
                last = null;
            }
        }
        if (last == null) {
            cursors.remove(name);
        } else {
            cursors.put(name, last);
        }
        return found;
    }

    @Override
    public void putWaiting(Waiting waiting) {
        byte[] response = Json.writeBytes(waiting.response());
        String traceparent = waiting.readAt().traceparent();
        byte[] trace = traceparent == null ? new byte[0] : traceparent.getBytes(StandardCharsets.UTF_8);
        byte[] value = ByteBuffer.allocate(
                        1 + Integer.BYTES + Long.BYTES + Short.BYTES + trace.length + response.length)
                .put(WITH_TRACE)
                .putInt(waiting.readAt().partition())
                .putLong(waiting.readAt().offset())
                .putShort((short) trace.length)
                .put(trace)
                .put(response)
                .array();
        pending.put(pendingKey(waiting.response()), value);
    }

    /**
     * Reads where a waiting response was read. A value written before the judge re-keyed its inputs
     * starts with the offset alone, whose first byte is 0 for any offset below 2^56; one written before
     * traces were kept starts with {@link #WITH_PARTITION}, then the partition and the offset; one written
     * since starts with {@link #WITH_TRACE}, then those, then the traceparent's length and bytes.
     */
    private static ReadAt readAt(ByteBuffer buffer) {
        byte format = buffer.get(0);
        if (format != WITH_PARTITION && format != WITH_TRACE) {
            return new ReadAt(-1, buffer.getLong());
        }
        buffer.get();
        int partition = buffer.getInt();
        long offset = buffer.getLong();
        if (format == WITH_PARTITION) {
            return new ReadAt(partition, offset);
        }
        byte[] trace = new byte[buffer.getShort()];
        buffer.get(trace);
        return new ReadAt(partition, offset, trace.length == 0 ? null : new String(trace, StandardCharsets.UTF_8));
    }

    @Override
    public void deleteWaiting(ModelResponse response) {
        pending.delete(pendingKey(response));
    }

    @Override
    public ModelResponse answer(String itemKey, int revision, String variant, String modelId) {
        return read(answers.get(answerKey(itemKey, revision, variant, modelId)), ModelResponse.class);
    }

    @Override
    public List<ModelResponse> answers(String itemKey, int revision, String variant) {
        List<ModelResponse> found = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it =
                answers.prefixScan(answerKey(itemKey, revision, variant, ""), KEYS)) {
            it.forEachRemaining(entry -> found.add(read(entry.value, ModelResponse.class)));
        }
        return found;
    }

    @Override
    public void putAnswer(ModelResponse answer) {
        answers.put(
                answerKey(answer.key(), answer.revision(), answer.variant().label(), answer.modelId()),
                Json.writeBytes(answer));
    }

    @Override
    public List<ModelResponse> nextAnswers(int limit) {
        return next(answers, ANSWERS, limit, bytes -> read(bytes, ModelResponse.class));
    }

    @Override
    public void deleteAnswer(ModelResponse answer) {
        answers.delete(
                answerKey(answer.key(), answer.revision(), answer.variant().label(), answer.modelId()));
    }

    @Override
    public void deleteAnswersBefore(String itemKey, int revision) {
        String prefix = itemKey + SEPARATOR;
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = answers.prefixScan(prefix, KEYS)) {
            while (it.hasNext()) {
                String key = it.next().key;
                String rest = key.substring(prefix.length());
                int end = rest.indexOf(SEPARATOR);
                if (end > 0 && Integer.parseInt(rest.substring(0, end)) < revision) {
                    old.add(key);
                }
            }
        }
        old.forEach(answers::delete);
    }

    @Override
    public Ballot ballot(String ballotId) {
        return read(ballots.get(ballotId), Ballot.class);
    }

    @Override
    public void putBallot(Ballot ballot) {
        ballots.put(ballot.ballotId(), Json.writeBytes(ballot));
    }

    @Override
    public List<Ballot> nextBallots(int limit) {
        return next(ballots, BALLOTS, limit, bytes -> read(bytes, Ballot.class));
    }

    @Override
    public void deleteBallot(String ballotId) {
        ballots.delete(ballotId);
    }

    @Override
    public JudgeCall call(String requestId) {
        return read(calls.get(requestId), JudgeCall.class);
    }

    @Override
    public void putCall(JudgeCall call) {
        calls.put(call.request().requestId(), Json.writeBytes(call));
    }

    @Override
    public void deleteCall(String requestId) {
        calls.delete(requestId);
    }

    @Override
    public CanarySet canarySet(String benchmark, String judge) {
        return read(canaries.get(key("set", benchmark, judge)), CanarySet.class);
    }

    @Override
    public List<CanarySet> canarySets() {
        return scan(key("set", ""), CanarySet.class);
    }

    @Override
    public void putCanarySet(CanarySet set) {
        canaries.put(key("set", set.benchmark(), set.judge()), Json.writeBytes(set));
    }

    @Override
    public List<Canary> canaries(String benchmark, String judge) {
        return scan(key("canary", benchmark, judge, ""), Canary.class);
    }

    @Override
    public Canary canary(String benchmark, String judge, String canaryId) {
        return read(canaries.get(key("canary", benchmark, judge, canaryId)), Canary.class);
    }

    @Override
    public void putCanary(Canary canary) {
        canaries.put(key("canary", canary.benchmark(), canary.judge(), canary.canaryId()), Json.writeBytes(canary));
    }

    @Override
    public void deleteCanary(Canary canary) {
        canaries.delete(key("canary", canary.benchmark(), canary.judge(), canary.canaryId()));
    }

    @Override
    public CanaryRef canaryOfBallot(String ballotId) {
        return read(canaries.get(key("ballot", ballotId)), CanaryRef.class);
    }

    @Override
    public void putCanaryOfBallot(String ballotId, CanaryRef canary) {
        canaries.put(key("ballot", ballotId), Json.writeBytes(canary));
    }

    @Override
    public void deleteCanaryOfBallot(String ballotId) {
        canaries.delete(key("ballot", ballotId));
    }

    @Override
    public List<Drift> drifts() {
        return scan(key("drift", ""), Drift.class);
    }

    @Override
    public void putDrift(Drift drift) {
        canaries.put(key("drift", drift.benchmark(), drift.judge()), Json.writeBytes(drift));
    }

    /** The values of the {@code canaries} store whose keys start with {@code prefix}, in key order. */
    private <T> List<T> scan(String prefix, Class<T> type) {
        List<T> found = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = canaries.prefixScan(prefix, KEYS)) {
            it.forEachRemaining(entry -> found.add(read(entry.value, type)));
        }
        return found;
    }

    /** A {@code canaries} key: its parts joined by {@link #SEPARATOR}. */
    private static String key(String... parts) {
        return String.join(SEPARATOR, parts);
    }

    private static String pendingKey(ModelResponse response) {
        return response.key() + SEPARATOR + response.requestId();
    }

    private static String answerKey(String itemKey, int revision, String variant, String modelId) {
        return itemKey + SEPARATOR + revision + SEPARATOR + variant + SEPARATOR + modelId;
    }

    /** Stored values were validated on the way in; reading them back needs no schema check. */
    private static <T> T read(byte[] bytes, Class<T> type) {
        if (bytes == null) {
            return null;
        }
        try {
            return Json.mapper().readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
