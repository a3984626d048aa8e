package io.assay.kit.events;

import io.assay.contracts.CloudEvents;
import io.assay.contracts.EventType;
import io.assay.kit.ServiceIdentity;
import org.apache.kafka.common.header.Headers;

/**
 * The CloudEvents headers of every event this service emits: {@code ce_type} (the event type and its
 * version), {@code ce_id} (the event's deterministic id), {@code ce_source} (this service) and
 * {@code ce_specversion}. One place, so no service can emit an event under another's name.
 */
public final class EventHeaders {
    private final ServiceIdentity identity;

    /** The headers of {@code identity}'s events. */
    public EventHeaders(ServiceIdentity identity) {
        this.identity = identity;
    }

    /** The headers of an event of {@code type} with id {@code id}. */
    public Headers of(EventType type, String id) {
        return CloudEvents.headers(type, id, identity.source());
    }

    /** The service these headers name. */
    public ServiceIdentity identity() {
        return identity;
    }
}
