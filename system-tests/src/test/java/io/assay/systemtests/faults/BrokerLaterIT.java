package io.assay.systemtests.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.cli.stack.Component;
import io.assay.systemtests.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The four packaged services started before their broker, as where Kafka and Assay are deployed at once, or Kafka is
 * down while Assay rolls out: each waits, alive and not ready, saying every 10 s that Kafka does not answer yet, with
 * a log that stays small (Kafka 4.1's admin clients log "Rebootstrapping with Cluster(...)" for every pending call on
 * every pass of their loop while no broker answers: 257,000 lines in a service's first 45 s before the kit silenced
 * that logger). Once the broker is up they become ready by themselves and judge the demo's items. The broker on
 * 9092 + 23000, the services on their ports + 23000.
 */
class BrokerLaterIT {
    private static final int PORT_OFFSET = 23_000;
    private static final Duration WAIT = Duration.ofSeconds(25);
    private static final long MOST_LINES = 3_000;
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final long ITEMS = 40;
    private static final Path HOME = Path.of(System.getProperty("assay.repo", ".."))
            .toAbsolutePath()
            .normalize()
            .resolve("system-tests/target/broker-later-it");

    @Test
    void servicesStartedBeforeTheirBrokerWaitQuietlyAndWorkOnceItIsUp() throws Exception {
        // Given the four services started with no broker at their bootstrap address
        try (FaultStack stack = FaultStack.servicesFirst(HOME, PORT_OFFSET)) {
            Thread.sleep(WAIT.toMillis());

            // Then each runs, is not ready, says why, and keeps its log small
            for (Component c : Component.services()) {
                ServiceProcess p = stack.service(c);
                long lines = p.logLines();
                System.out.printf(
                        "broker later: %s after %d s without a broker: alive %s, ready %s, %d log lines%n",
                        c.name(), WAIT.toSeconds(), p.alive(), p.ready(), lines);
                assertThat(p.alive()).as(c.name() + " runs: " + p.errors(5)).isTrue();
                assertThat(p.ready())
                        .as(c.name() + " is ready without a broker")
                        .isFalse();
                assertThat(p.logged("does not answer yet"))
                        .as(c.name() + " says why")
                        .isTrue();
                assertThat(lines).as(c.name() + "'s log lines in " + WAIT).isLessThan(MOST_LINES);
            }

            // When the broker starts (its topics created as the chart's job does)
            long started = System.nanoTime();
            stack.broker().start();
            stack.awaitReady(PATIENCE);
            System.out.printf(
                    "broker later: every service ready %.1f s after the broker started%n",
                    (System.nanoTime() - started) / 1e9);

            // Then the demo's items are judged for every model
            DemoBenchmark demo = new DemoBenchmark("broker-later-" + System.currentTimeMillis(), "/assay/broker-later");
            demo.register(stack.bootstrapServers());
            long fed = demo.feed(stack.bootstrapServers(), 20, ITEMS, null);
            demo.awaitDrained(
                    stack.bootstrapServers(),
                    stack.service(Component.AGGREGATOR).url(),
                    fed);
            System.out.printf(
                    "broker later: %d items judged for every model %.1f s after the broker started%n",
                    fed, (System.nanoTime() - started) / 1e9);
        }
    }
}
