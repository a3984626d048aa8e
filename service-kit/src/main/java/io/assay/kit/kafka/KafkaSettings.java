package io.assay.kit.kafka;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reads the Kafka client settings out of a service's configuration: every {@code kafka.<setting>}
 * property (a properties file, {@code -D}), and every {@code KAFKA_<SETTING>} environment variable
 * ({@code KAFKA_SASL_JAAS_CONFIG} is {@code sasl.jaas.config}), so an operator configures a secured
 * cluster the way Kafka documents it and the chart mounts it. {@code kafka-streams.*} properties are
 * Kafka Streams settings, not client settings, and are left out ({@link #streams}).
 */
public final class KafkaSettings {
    /** The prefix of client settings in properties. */
    public static final String PREFIX = "kafka.";
    /** The prefix of client settings in the environment. */
    public static final String ENV_PREFIX = "KAFKA_";
    /** The prefix of Kafka Streams settings in properties. */
    public static final String STREAMS_PREFIX = "kafka-streams.";

    private KafkaSettings() {}

    /**
     * The client settings among {@code names}, with their values from {@code value}; a property and the
     * environment variable of the same setting resolve to the same value (the configuration's precedence).
     */
    public static Map<String, Object> clients(Iterable<String> names, Function<String, String> value) {
        Map<String, Object> settings = new TreeMap<>();
        for (String name : names) {
            String setting = clientSetting(name);
            if (setting != null) {
                String v = value.apply(name);
                if (v != null && !v.isBlank()) {
                    settings.put(setting, v);
                }
            }
        }
        return settings;
    }

    /** The Kafka Streams settings among {@code names}: {@code kafka-streams.<setting>} properties. */
    public static Map<String, Object> streams(Iterable<String> names, Function<String, String> value) {
        Map<String, Object> settings = new TreeMap<>();
        for (String name : names) {
            if (name.startsWith(STREAMS_PREFIX)) {
                String v = value.apply(name);
                if (v != null && !v.isBlank()) {
                    settings.put(name.substring(STREAMS_PREFIX.length()), v);
                }
            }
        }
        return settings;
    }

    /** The client setting a configuration name stands for, {@code null} when it is not one. */
    static String clientSetting(String name) {
        if (name.startsWith(PREFIX)) {
            return name.substring(PREFIX.length());
        }
        if (name.startsWith(ENV_PREFIX)
                && !name.startsWith("KAFKA_STREAMS_")
                && name.equals(name.toUpperCase(Locale.ROOT))) {
            return name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
        }
        return null;
    }
}
