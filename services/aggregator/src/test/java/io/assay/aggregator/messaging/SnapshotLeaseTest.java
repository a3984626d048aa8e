package io.assay.aggregator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.kit.ServiceIdentity;
import io.assay.kit.kafka.KafkaClients;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/** Two replicas' leases in one group on the in-JVM broker: one publishes, the other takes over. */
@RequiresBroker
class SnapshotLeaseTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void oneReplicaHoldsTheLeaseAndTheOtherTakesItWhenTheFirstStops() throws Exception {
        // Given the first replica's lease, held once it joined the group
        String group = "lease-test-" + UUID.randomUUID();
        SnapshotLease first = lease("a", group);
        SnapshotLease second = lease("b", group);
        first.start(null);
        try {
            await(first::held);
            assertThat(first.gained()).isEqualTo(1);

            // When a second replica joins
            second.start(null);
            try (Admin admin = TestBroker.get().admin()) {
                await(() -> members(admin, group) == 2);
            }

            // Then the first keeps publishing and the second does not
            assertThat(first.held()).isTrue();
            assertThat(second.held()).isFalse();

            // And when the first stops, the second takes the lease
            long stopped = System.nanoTime();
            first.stop(null);
            await(second::held);
            System.out.printf(
                    "lease moved %d ms after a clean stop%n",
                    Duration.ofNanos(System.nanoTime() - stopped).toMillis());
            assertThat(first.held()).isFalse();
            assertThat(second.gained()).isEqualTo(1);
        } finally {
            first.stop(null);
            second.stop(null);
        }
    }

    @Test
    void aLeaseWhoseThreadFailsJoinsAgainAndHoldsTheLease() throws Exception {
        // Given a lease whose first consumer fails to be made, as a thread does that meets an OutOfMemoryError
        String group = "lease-test-" + UUID.randomUUID();
        KafkaClients clients =
                new KafkaClients(TestBroker.get().clientSettings(), new ServiceIdentity("aggregator", "c"), null);
        AtomicInteger made = new AtomicInteger();
        SnapshotLease lease = new SnapshotLease(
                (g, role) -> {
                    if (made.incrementAndGet() == 1) {
                        throw new OutOfMemoryError("Java heap space (thrown by the test)");
                    }
                    return clients.leaseConsumer(g, role);
                },
                new SimpleMeterRegistry(),
                group);

        // When it starts
        lease.start(null);
        try {
            // Then its thread survives, joins again and holds the lease
            await(lease::held);
            assertThat(made).hasValue(2);
            assertThat(lease.gained()).isEqualTo(1);
        } finally {
            lease.stop(null);
        }
        assertThat(lease.held()).isFalse();
    }

    private static SnapshotLease lease(String instance, String group) {
        KafkaClients clients =
                new KafkaClients(TestBroker.get().clientSettings(), new ServiceIdentity("aggregator", instance), null);
        return new SnapshotLease(clients, new SimpleMeterRegistry(), group);
    }

    private static int members(Admin admin, String group) {
        try {
            return admin.describeConsumerGroups(List.of(group))
                    .all()
                    .get()
                    .get(group)
                    .members()
                    .size();
        } catch (Exception e) {
            return 0;
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s", WAIT).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
