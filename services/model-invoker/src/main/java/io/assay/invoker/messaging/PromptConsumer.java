package io.assay.invoker.messaging;

import io.assay.contracts.CloudEvents;
import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.Json;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Topics;
import io.assay.invoker.service.Invoker;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Thin Kafka glue: reads prompts, lets the {@link Invoker} answer them on a bounded worker pool
 * ({@code smallrye.messaging.worker.invoker.max-concurrency}), publishes one response per prompt
 * and acknowledges the prompt only after the response is acknowledged by the broker
 * (at-least-once; response ids are deterministic, so downstream deduplicates). Invalid prompts go
 * to the dead-letter topic with their original key and bytes.
 */
@ApplicationScoped
public class PromptConsumer {
    /** Channel of incoming prompts; equals {@code Topics.PROMPTS.name()}. */
    public static final String PROMPTS = Topics.Names.PROMPTS;
    /** Channel of outgoing responses; equals {@code Topics.RESPONSES.name()}. */
    public static final String RESPONSES = Topics.Names.RESPONSES;
    /** The {@code ce_source} of every response and the dead-letter stage. */
    public static final String SERVICE = "model-invoker";
    /** The CloudEvents source of responses. */
    public static final String SOURCE = "/assay/" + SERVICE;

    private static final Logger LOG = Logger.getLogger(PromptConsumer.class);

    private final Invoker invoker;
    private final MutinyEmitter<byte[]> responses;
    private final DeadLetterPublisher deadLetters;
    private final InvokerMetrics metrics;

    /** With the invoker, the outgoing responses and the dead-letter publisher. */
    public PromptConsumer(
            Invoker invoker,
            @Channel(RESPONSES) MutinyEmitter<byte[]> responses,
            DeadLetterPublisher deadLetters,
            InvokerMetrics metrics) {
        this.invoker = invoker;
        this.responses = responses;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    /** Answers one prompt; runs on the bounded {@code invoker} worker pool, out of order. */
    @Incoming(PROMPTS)
    @Blocking(value = "invoker", ordered = false)
    public CompletionStage<Void> consume(Message<byte[]> message) {
        PromptRequest request;
        try {
            if (message.getPayload() == null) {
                throw new InvalidEventException("empty value (tombstone) on " + PROMPTS);
            }
            request = EventType.PROMPT_REQUEST.parse(message.getPayload(), PromptRequest.class);
        } catch (InvalidEventException e) {
            return deadLetters.publish(message, PROMPTS, e.getMessage());
        }
        metrics.started();
        try {
            Invoker.Result result = invoker.answer(request);
            ModelResponse response = result.response();
            if (result.alreadyPublished()) {
                // A redelivery after a crash: the answer is stored and its response was published.
                return message.ack();
            }
            responses.sendMessageAndAwait(responseRecord(request, response));
            invoker.published(response);
            metrics.record(response, result.replayed());
            return message.ack();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return message.nack(e);
        } catch (RuntimeException e) {
            // Storing or publishing failed: do not ack, so the prompt is redelivered after a restart.
            LOG.errorf(e, "cannot store or publish the response to request %s", request.requestId());
            return message.nack(e);
        } finally {
            metrics.finished();
        }
    }

    private static Message<byte[]> responseRecord(PromptRequest request, ModelResponse response) {
        Headers headers = CloudEvents.headers(EventType.MODEL_RESPONSE, response.requestId(), SOURCE);
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(request.key())
                .withHeaders(headers)
                .build();
        return Message.of(Json.writeBytes(response)).addMetadata(metadata);
    }
}
