package io.assay.aggregator.messaging;

import io.assay.aggregator.leaderboard.Call;
import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.Purpose;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * Keeps cost, latency and the answer of every evaluation call for the per-model detail and the
 * per-item drill-down. Judge calls are the judge's cost, not the model's, and are left out. An
 * invalid response is skipped and counted here; dead-lettering it is the model-invoker's and the
 * judge's job, which read the topic first-hand.
 */
final class ResponseProcessor implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = Logger.getLogger(ResponseProcessor.class);

    private final AggregatorMetrics metrics;
    private KeyValueStore<String, Call> calls;

    ResponseProcessor(AggregatorMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.calls = context.getStateStore(AggregatorTopology.CALLS);
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
        calls.put(
                Call.key(r.benchmark(), r.modelId(), r.requestId()),
                new Call(r.requestId(), r.itemId(), r.costUsd(), r.latencyMs(), r.failed(), r.cached(), r.output()));
    }
}
