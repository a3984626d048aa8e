package io.assay.kit.events;

import io.assay.contracts.CloudEvents;
import io.assay.contracts.EventType;
import io.assay.kit.ServiceIdentity;
import io.assay.kit.traces.Trace;
import io.assay.kit.traces.Traces;
import org.apache.kafka.common.header.Headers;

/**
 * The CloudEvents headers of every event this service emits: {@code ce_type} (the event type and its
 * version), {@code ce_id} (the event's deterministic id), {@code ce_source} (this service) and
 * {@code ce_specversion}. One place, so no service can emit an event under another's name. With them,
 * the W3C {@code traceparent} of the span the event is emitted under ({@link Traces}).
 */
public final class EventHeaders {
    private final ServiceIdentity identity;
    private final Traces traces;

    /** The headers of {@code identity}'s events, traced by {@code traces}. */
    public EventHeaders(ServiceIdentity identity, Traces traces) {
        this.identity = identity;
        this.traces = traces;
    }

    /** The headers of {@code identity}'s events, with traces that only the headers carry (tests). */
    public EventHeaders(ServiceIdentity identity) {
        this(identity, Traces.propagating(identity));
    }

    /** The headers of an event of {@code type} with id {@code id}, without a {@code traceparent}. */
    public Headers of(EventType type, String id) {
        return CloudEvents.headers(type, id, identity.source());
    }

    /**
     * The headers of an event of {@code type} with id {@code id} emitted under {@code trace}; under a new
     * trace of its own when {@code trace} is {@code null} or closed (work no record started).
     */
    public Headers of(EventType type, String id, Trace trace) {
        Headers headers = of(type, id);
        if (trace != null && trace.isOpen()) {
            trace.stamp(headers);
        } else {
            try (Trace root = traces.root("emit " + type.cloudEventType())) {
                root.stamp(headers);
            }
        }
        return headers;
    }

    /** The service these headers name. */
    public ServiceIdentity identity() {
        return identity;
    }

    /** The service's traces. */
    public Traces traces() {
        return traces;
    }
}
