package io.assay.cli.kafka;

import io.assay.kit.kafka.ClientProblems;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/** What the CLI says when Kafka did not answer one of its clients: nothing listens there, or it speaks another protocol. */
final class BrokerSilence {
    /** How long each bootstrap address is given to accept a plain TCP connection. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private BrokerSilence() {}

    /**
     * "cannot reach Kafka at ADDRESS within N s: " and what a plain TCP connection finds there ({@link
     * ClientProblems#probe}), with a hint at the local stack only when nothing accepts connections.
     */
    static String explain(Map<String, Object> settings, Duration within) {
        ClientProblems.Probe probe = ClientProblems.probe(settings, PROBE_TIMEOUT);
        return "cannot reach Kafka at " + settings.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG) + " within "
                + within.toSeconds() + " s: " + probe.words()
                + (probe.accepts() ? "" : "; is the stack running? (./assay status, ./assay up)");
    }
}
