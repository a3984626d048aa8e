package io.assay.aggregator.messaging;

import io.assay.contracts.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON serde for the aggregator's own state-store values (slots, tallies). Not an event serde:
 * store values are private to this service and are not schema-validated.
 *
 * @param <T> the record type
 */
public final class JsonStoreSerde<T> implements Serde<T> {
    private final Class<T> type;

    /** A serde for {@code type}. */
    public JsonStoreSerde(Class<T> type) {
        this.type = type;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : Json.writeBytes(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return Json.mapper().readValue(bytes, type);
            } catch (IOException e) {
                throw new UncheckedIOException("corrupt " + type.getSimpleName() + " in a state store", e);
            }
        };
    }
}
