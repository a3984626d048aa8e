package io.assay.contracts;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic with its name, serdes and layout, so names and serdes appear once.
 *
 * @param name the topic name (and the reactive-messaging channel name)
 * @param keySerde key serde
 * @param valueSerde value serde
 * @param type the event type of values, {@code null} for raw bytes
 * @param compacted whether the topic is log-compacted
 * @param <K> key type
 * @param <V> value type
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, EventType type, boolean compacted) {}
