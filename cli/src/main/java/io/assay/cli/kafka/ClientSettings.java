package io.assay.cli.kafka;

import io.assay.kit.kafka.KafkaSettings;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The settings of every Kafka client the CLI makes: the same {@code KAFKA_<SETTING>} environment
 * variables and {@code kafka.<setting>} system properties the services read ({@link KafkaSettings}:
 * SASL, TLS, client ids…), with the bootstrap servers of {@code --bootstrap}. A property wins over the
 * variable of the same setting; each client then sets what its own correctness depends on (acks,
 * timeouts, offsets) over these.
 */
public final class ClientSettings {
    private ClientSettings() {}

    /** The operator's client settings, connecting to {@code bootstrapServers}. */
    public static Map<String, Object> forBootstrap(String bootstrapServers) {
        Map<String, Object> settings =
                new HashMap<>(KafkaSettings.clients(System.getenv().keySet(), System::getenv));
        settings.putAll(KafkaSettings.clients(System.getProperties().stringPropertyNames(), System::getProperty));
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return settings;
    }
}
