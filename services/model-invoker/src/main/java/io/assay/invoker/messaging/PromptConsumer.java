package io.assay.invoker.messaging;

import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Topics;
import io.assay.invoker.service.Invoker;
import io.assay.kit.events.DeadLetterSink;
import io.assay.kit.events.EventPublisher;
import io.assay.kit.traces.Trace;
import io.assay.kit.traces.Traces;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Thin Kafka glue: reads prompts, lets the {@link Invoker} answer them on a bounded worker pool
 * ({@code smallrye.messaging.worker.invoker.max-concurrency}), publishes one response per prompt
 * and acknowledges the prompt only after the broker has the response (at-least-once; response ids
 * are deterministic, so downstream deduplicates). Invalid prompts go to the dead-letter topic with
 * their original key and bytes before they are acknowledged. The channel's consumer is configured by
 * the kit (static membership, cooperative rebalancing, the {@code kafka.*} settings). Each prompt is
 * answered under its trace, which its response carries on (docs/traces.md).
 *
 * <p>At-least-once delivery and its exactly-once effect: docs/delivery.md.
 */
@ApplicationScoped
public class PromptConsumer {
    /** Channel of incoming prompts; equals {@code Topics.PROMPTS.name()}. */
    public static final String PROMPTS = Topics.Names.PROMPTS;

    private static final Logger LOG = Logger.getLogger(PromptConsumer.class);

    private final Invoker invoker;
    private final EventPublisher publisher;
    private final DeadLetterSink deadLetters;
    private final InvokerMetrics metrics;
    private final Traces traces;

    /** With the invoker, the service's publisher and dead-letter sink, the meters and traces. */
    public PromptConsumer(
            Invoker invoker,
            EventPublisher publisher,
            DeadLetterSink deadLetters,
            InvokerMetrics metrics,
            Traces traces) {
        this.invoker = invoker;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.traces = traces;
    }

    /** Answers one prompt under its trace; runs on the bounded {@code invoker} worker pool, out of order. */
    @Incoming(PROMPTS)
    @Blocking(value = "invoker", ordered = false)
    public CompletionStage<Void> consume(Message<byte[]> message) {
        try (Trace trace = traces.handling(PROMPTS, headers(message))) {
            return answer(message, trace);
        }
    }

    private CompletionStage<Void> answer(Message<byte[]> message, Trace trace) {
        PromptRequest request;
        try {
            if (message.getPayload() == null) {
                return deadLetter(message, "tombstone", "empty value (tombstone) on " + PROMPTS);
            }
            request = EventType.PROMPT_REQUEST.parse(message.getPayload(), PromptRequest.class, headers(message));
        } catch (InvalidEventException e) {
            return deadLetter(message, "invalid", e.getMessage());
        }
        String key = key(message);
        if (key == null) {
            return deadLetter(message, "no-key", "the record has no key; a prompt is keyed benchmark/itemId");
        }
        if (!key.equals(request.key())) {
            // The judge joins a judge reply with its item by the key the reply inherits from its prompt.
            return deadLetter(message, "key-mismatch", "key " + key + " is not benchmark/itemId " + request.key());
        }
        metrics.started();
        try {
            Invoker.Result result = invoker.answer(request);
            ModelResponse response = result.response();
            if (result.alreadyPublished()) {
                // A redelivery after a crash: the answer is stored and its response was published.
                return message.ack();
            }
            publisher
                    .publish(Topics.RESPONSES, request.key(), response.requestId(), response, trace::stamp)
                    .join();
            invoker.published(response);
            metrics.record(response, result.replayed());
            return message.ack();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return message.nack(e);
        } catch (RuntimeException e) {
            // Storing or publishing failed: do not ack, so the prompt is redelivered after a restart.
            trace.fail(e.toString());
            LOG.errorf(e, "cannot store or publish the response to request %s", request.requestId());
            return message.nack(e);
        } finally {
            metrics.finished();
        }
    }

    @SuppressWarnings("unchecked")
    private static Headers headers(Message<byte[]> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> ((IncomingKafkaRecordMetadata<String, byte[]>) m).getHeaders())
                .orElse(null);
    }

    /** The record's key; {@code null} when it has none (or the message did not come from Kafka). */
    @SuppressWarnings("unchecked")
    private static String key(Message<byte[]> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> ((IncomingKafkaRecordMetadata<String, byte[]>) m).getKey())
                .orElse(null);
    }

    /** Dead-letters {@code message}, then acknowledges it; if the letter cannot be written, nacks it. */
    @SuppressWarnings("unchecked")
    private CompletionStage<Void> deadLetter(Message<byte[]> message, String reasonClass, String reason) {
        IncomingKafkaRecordMetadata<String, byte[]> source =
                message.getMetadata(IncomingKafkaRecordMetadata.class).orElse(null);
        String key = source == null ? null : source.getKey();
        DeadLetterSink.DeadLetter letter = deadLetters.letter(
                source == null ? PROMPTS : source.getTopic(),
                source == null ? -1 : source.getPartition(),
                source == null ? -1 : source.getOffset(),
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                message.getPayload(),
                source == null ? null : source.getHeaders(),
                reasonClass,
                reason);
        try {
            deadLetters.send(letter).join();
        } catch (RuntimeException e) {
            LOG.errorf(e, "cannot dead-letter a prompt; it will be redelivered");
            return message.nack(e);
        }
        return message.ack();
    }
}
