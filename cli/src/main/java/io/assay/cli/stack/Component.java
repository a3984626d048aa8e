package io.assay.cli.stack;

import java.util.List;

/**
 * A process of the local stack, in start order. Each listens on one port on 127.0.0.1.
 *
 * @param name the component's name, also its log and pid file names
 * @param port its port (Kafka: the client listener; services: HTTP)
 * @param service whether it is one of the four Quarkus services
 */
public record Component(String name, int port, boolean service) {
    /** The broker. */
    public static final Component KAFKA = new Component("kafka", 9092, false);
    /** The aggregator, which also serves the leaderboard API. */
    public static final Component AGGREGATOR = new Component("aggregator", 8080, true);
    /** The prompt generator. */
    public static final Component PROMPT_GENERATOR = new Component("prompt-generator", 8081, true);
    /** The model invoker. */
    public static final Component MODEL_INVOKER = new Component("model-invoker", 8082, true);
    /** The judge. */
    public static final Component JUDGE = new Component("judge", 8083, true);

    /** Every component, in start order. */
    public static final List<Component> ALL = List.of(KAFKA, AGGREGATOR, PROMPT_GENERATOR, MODEL_INVOKER, JUDGE);

    /** The four services. */
    public static List<Component> services() {
        return ALL.stream().filter(Component::service).toList();
    }
}
