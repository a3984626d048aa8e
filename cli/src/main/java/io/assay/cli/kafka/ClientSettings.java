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
 *
 * <p>A command that runs on the local stack ({@code assay demo}, the benches that start a fresh stack) talks
 * to that stack's own broker, which is PLAINTEXT on 127.0.0.1: after {@link #useLocalStack} the settings that
 * say how to reach a secured cluster ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}) are left out,
 * as the stack leaves them out of its services' environment. A shell set up for a cluster (as the README
 * shows for secured clusters) otherwise made the demo speak SASL to its own broker and fail after the stack had started.
 */
public final class ClientSettings {
    private static volatile boolean localStack;

    private ClientSettings() {}

    /**
     * From now on every client of this process talks to the local stack's own broker: the shell's settings for a
     * secured cluster are left out ({@code false} takes them again).
     */
    public static void useLocalStack(boolean onTheLocalStack) {
        localStack = onTheLocalStack;
    }

    /** The operator's client settings, connecting to {@code bootstrapServers}. */
    public static Map<String, Object> forBootstrap(String bootstrapServers) {
        Map<String, Object> settings =
                new HashMap<>(KafkaSettings.clients(System.getenv().keySet(), System::getenv));
        settings.putAll(KafkaSettings.clients(System.getProperties().stringPropertyNames(), System::getProperty));
        if (localStack) {
            settings.keySet().removeIf(ClientSettings::reachesASecuredCluster);
        }
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return settings;
    }

    /** Whether {@code setting} says how to reach a secured cluster: {@code security.protocol}, {@code sasl.*}, {@code ssl.*}. */
    static boolean reachesASecuredCluster(String setting) {
        return setting.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)
                || setting.startsWith("sasl.")
                || setting.startsWith("ssl.");
    }
}
