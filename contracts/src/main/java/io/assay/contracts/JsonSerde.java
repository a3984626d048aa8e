package io.assay.contracts;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON serde for an event record. Deserialisation validates against the schema; an invalid event
 * throws {@link InvalidEventException}. A {@code null} value (a tombstone) stays {@code null}.
 *
 * @param <T> the record type
 */
public final class JsonSerde<T> implements Serde<T> {
    private final Class<T> type;
    private final EventType eventType;

    /** A serde for one event type's record. */
    public JsonSerde(Class<T> type) {
        this.type = type;
        this.eventType = EventType.of(type);
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : Json.writeBytes(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : eventType.parse(bytes, type);
    }
}
