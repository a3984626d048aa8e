package io.assay.cli.kafka;

import io.assay.kit.kafka.BrokerCheck;
import io.assay.kit.kafka.KafkaSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.KafkaException;

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

    /**
     * What to tell the user when {@code failure} is Kafka refusing a client made with {@code settings} (its login,
     * its TLS handshake, its ACLs: {@link BrokerCheck#refusal}) or refusing to make one (settings that do not fit
     * together, a trust store that cannot be read): the settings to check, in the services' words. Empty for other
     * failures, e.g. a broker that does not answer.
     */
    public static Optional<String> problem(Throwable failure, Map<String, Object> settings) {
        Optional<KafkaException> refusal = BrokerCheck.refusal(failure);
        if (refusal.isPresent()) {
            return Optional.of(BrokerCheck.explain(refusal.get(), settings));
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof KafkaException
                    && t.getMessage() != null
                    && t.getMessage().startsWith("Failed to")) {
                // a client that could not be made: "Failed to create new KafkaAdminClient", "Failed to construct kafka
                // consumer" or "... producer", the reason (a trust store that cannot be read, say) at the bottom
                Throwable reason = t.getCause() == null ? t : t.getCause();
                while (reason.getCause() != null && reason.getCause() != reason) {
                    reason = reason.getCause();
                }
                // a NoSuchFileException's message is only the path: name the exception too
                return Optional.of("the Kafka client settings do not work: "
                        + reason.getClass().getSimpleName()
                        + ": " + reason.getMessage()
                        + ". Check the KAFKA_* variables and kafka.* properties (security.protocol "
                        + settings.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT") + ")");
            }
        }
        return Optional.empty();
    }
}
