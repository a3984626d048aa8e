package io.assay.aggregator.messaging;

import io.assay.aggregator.leaderboard.Call;
import io.assay.aggregator.leaderboard.CallTally;
import io.assay.aggregator.leaderboard.Fold;
import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.Purpose;
import io.assay.kit.traces.Traces;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * Keeps cost, latency, the answer or the error of every evaluation call for the per-model detail and
 * the per-item drill-down, and a {@link CallTally} per benchmark and model (answered, failed by kind,
 * last error) so a model whose calls all fail shows on its leaderboards instead of being absent. Judge
 * calls are the judge's cost, not the model's, and are left out. An invalid response is skipped and
 * counted here; dead-lettering it is the model-invoker's and the judge's job, which read the topic
 * first-hand.
 *
 * <p>A redelivered response (the same requestId, e.g. after {@code assay retry-failed}) replaces its
 * call: the tally moves the call from failed to answered (or stays) instead of counting it twice. The
 * call and its tally are written in the same transaction (exactly-once), so they never disagree.
 */
final class ResponseProcessor implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = Logger.getLogger(ResponseProcessor.class);

    private final AggregatorMetrics metrics;
    private final ViewChanges changes;
    private KeyValueStore<String, Call> calls;
    private KeyValueStore<String, CallTally> tallies;

    ResponseProcessor(AggregatorMetrics metrics, ViewChanges changes) {
        this.metrics = metrics;
        this.changes = changes;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.calls = context.getStateStore(AggregatorTopology.CALLS);
        this.tallies = context.getStateStore(AggregatorTopology.TALLIES);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        ModelResponse r;
        try {
            r = EventType.MODEL_RESPONSE.parse(record.value(), ModelResponse.class, record.headers());
        } catch (InvalidEventException e) {
            metrics.skippedResponse();
            LOG.debugf("skipped an invalid response %s: %s", record.key(), e.getMessage());
            return;
        }
        if (r.purpose() != Purpose.EVALUATE) {
            return;
        }
        String key = Call.key(r.benchmark(), r.modelId(), r.requestId());
        Call next = new Call(
                r.requestId(),
                r.itemId(),
                r.costUsd(),
                r.latencyMs(),
                r.failed(),
                r.cached(),
                r.output(),
                r.failed() ? r.error().kind() : null,
                r.failed() ? r.error().message() : null,
                r.answeredAt() != null ? r.answeredAt() : Instant.ofEpochMilli(record.timestamp()),
                Traces.traceId(record.headers()));
        Call previous = calls.get(key);
        calls.put(key, next);
        String tallyKey = tallyKey(r.benchmark(), r.modelId());
        CallTally before = tallies.get(tallyKey);
        CallTally after = (before == null ? CallTally.EMPTY : before).replace(previous, next);
        tallies.put(tallyKey, after);
        if (before == null || after.visiblyDifferent(before)) {
            // A failure changes metrics.failed or the failing list of every view of the benchmark.
            changes.changed(r.benchmark());
        }
    }

    /** The tally store's key. */
    static String tallyKey(String benchmark, String modelId) {
        return benchmark + Fold.SEPARATOR + modelId;
    }
}
