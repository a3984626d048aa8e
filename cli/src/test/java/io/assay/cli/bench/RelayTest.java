package io.assay.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.Json;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The relay of {@code bench pipeline} on the in-JVM broker, with a few hundred records (the figures: BENCHMARKS.md). */
@RequiresBroker
class RelayTest {

    @Test
    void relaysEveryItemFannedOutThroughThreeHopsAndTimesIt() throws Exception {
        // Given a relay on fresh topics of the test broker
        Relay relay = new Relay(TestBroker.get().bootstrapServers(), 3, "relay-test-" + System.nanoTime());

        // When 100 items, each fanned out to 3 records, go through its three hops
        Relay.Result result = relay.run(100, 3, new Relay.Sizes(300, 900, 700, 500), Duration.ofSeconds(60));

        // Then exactly 300 records came out, after the feed began, and the rates are counted from them
        assertThat(result.records()).isEqualTo(300);
        assertThat(result.seconds()).isPositive().isGreaterThanOrEqualTo(result.feedSeconds());
        assertThat(result.afterFeed()).isBetween(0L, 300L);
        assertThat(result.perSecond()).isEqualTo(300 / result.seconds());
        assertThat(result.cpuSeconds()).isPositive();
    }

    @Test
    void aMessageIsValidJsonOfAboutTheRequestedSize() {
        byte[] message = Relay.message("bench/item-000001", 42, Relay.pad(900));

        assertThat(message.length).isBetween(880, 920);
        assertThat(Json.tree(message).path("key").asText()).isEqualTo("bench/item-000001");
        assertThat(Json.tree(message).path("seq").asLong()).isEqualTo(42);
    }
}
