package io.assay.cli.kafka;

import io.assay.kit.kafka.ClientProblems;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;

/** What the CLI says when Kafka did not answer one of its clients: nothing listens there, or it speaks another protocol. */
final class BrokerSilence {
    /** How long each bootstrap address is given to accept a plain TCP connection. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    /** Where nothing accepts connections: most often the local stack not started. */
    private static final String HINT = "; is the stack running? (./assay status, ./assay up)";

    private BrokerSilence() {}

    /**
     * "cannot reach Kafka at ADDRESS within N s: " and what a plain TCP connection finds there ({@link
     * ClientProblems#probe}), with a hint at the local stack only when nothing accepts connections.
     */
    static String explain(Map<String, Object> settings, Duration within) {
        ClientProblems.Probe probe = ClientProblems.probe(settings, PROBE_TIMEOUT);
        return "cannot reach Kafka at " + settings.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG) + " within "
                + within.toSeconds() + " s: " + probe.words() + (probe.accepts() ? "" : HINT);
    }

    /**
     * "cannot reach Kafka at ADDRESS: " and what a plain TCP connection found there, when no client of {@code settings}
     * would get an answer: every bootstrap address refuses the connection outright ({@link
     * ClientProblems.Probe#refused}; then "is the stack running? ..."), or the listener speaks another protocol than
     * the client: the other side of TLS, or SASL to a client without a login ({@link ClientProblems.Probe#otherProtocol}). A command says so at once instead of after its client's patience
     * (8 or 15 s). Empty when a listener may yet answer, or an address does not answer within the probe's second: the
     * client is given its time.
     */
    static Optional<String> certain(Map<String, Object> settings) {
        ClientProblems.Probe probe = ClientProblems.probe(settings, PROBE_TIMEOUT);
        return probe.refused() || probe.otherProtocol()
                ? Optional.of("cannot reach Kafka at " + settings.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                        + ": " + probe.words() + (probe.refused() ? HINT : ""))
                : Optional.empty();
    }
}
