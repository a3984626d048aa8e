package io.assay.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assay.contracts.CloudEvents;
import io.assay.contracts.DeadLetters;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.Topics;
import io.assay.kit.config.ConfigRegistry;
import io.assay.kit.events.DeadLetterSink;
import io.assay.kit.events.EventHeaders;
import io.assay.kit.events.EventPublisher;
import io.assay.kit.kafka.BrokerCheck;
import io.assay.kit.kafka.KafkaClients;
import io.assay.kit.kafka.TopicFollower;
import io.assay.kit.leaderboards.LeaderboardFeed;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kit's clients against the in-JVM broker: reading compacted topics, publishing, dead letters. */
@RequiresBroker
class KafkaKitTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static KafkaClients clients;
    private static TestClient test;

    @BeforeAll
    static void connect() {
        clients = new KafkaClients(
                Map.of("bootstrap.servers", TestBroker.get().bootstrapServers()),
                new ServiceIdentity("kit-test", "local"),
                null);
        test = TestBroker.get().client();
    }

    @AfterAll
    static void close() {
        test.close();
    }

    @Test
    void theLeaderboardFeedKeepsTheLastSnapshotOfEachViewAndSkipsWhatIsNotOne() throws Exception {
        // Given two snapshots of one view, an invalid record and a snapshot of another view
        String benchmark = "kit-" + UUID.randomUUID();
        String key = benchmark + "/accuracy";
        test.send(Topics.LEADERBOARDS, key, snapshot(benchmark, "accuracy", 3));
        test.send(Topics.LEADERBOARDS, key, snapshot(benchmark, "accuracy", 5));
        test.sendRaw(Topics.LEADERBOARDS.name(), key, "{\"benchmark\": 1}");
        test.send(Topics.LEADERBOARDS, benchmark + "/bt", snapshot(benchmark, "bt", 2));
        LeaderboardFeed feed = new LeaderboardFeed(clients, new ServiceIdentity("kit-test", "local"), null);

        // When the feed reads the topic
        feed.start();
        try {
            assertThat(feed.awaitCaughtUp(WAIT)).isTrue();

            // Then each view is its last valid snapshot, and a tombstone forgets one
            assertThat(feed.latest(benchmark, "accuracy"))
                    .map(LeaderboardSnapshot::judgments)
                    .contains(5L);
            assertThat(feed.latest(benchmark, "bt"))
                    .map(LeaderboardSnapshot::judgments)
                    .contains(2L);
            assertThat(feed.latest(benchmark, "wb-reward")).isEmpty();
            test.sendRaw(Topics.LEADERBOARDS.name(), benchmark + "/bt", (byte[]) null);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (feed.latest(benchmark, "bt").isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(feed.latest(benchmark, "bt")).isEmpty();
        } finally {
            feed.close();
        }
    }

    private static LeaderboardSnapshot snapshot(String benchmark, String view, long judgments) {
        return new LeaderboardSnapshot(benchmark, view, Instant.parse("2026-12-01T00:00:00Z"), judgments, List.of());
    }

    @Test
    void theConfigRegistryCatchesUpWithTheConfigTopicsAndFollowsThem() throws Exception {
        // Given a model published before the follower starts
        String id = "kit-" + UUID.randomUUID();
        test.sendRaw(Topics.MODELS.name(), id, model(id));
        ConfigRegistry registry = new ConfigRegistry();

        // When the follower reads the config topics
        try (TopicFollower follower = TopicFollower.start(
                "kit-test-config",
                List.of(Topics.MODELS.name(), Topics.BENCHMARKS.name()),
                () -> clients.reader("config", new StringDeserializer(), new ByteArrayDeserializer()),
                r -> registry.apply(r.topic(), r.key(), r.value()),
                registry::markCaughtUp)) {

            // Then it has the model once caught up, and sees a later retirement
            assertThat(follower.awaitCaughtUp(WAIT)).isTrue();
            assertThat(registry.caughtUp()).isTrue();
            assertThat(registry.model(id)).isPresent();
            test.sendRaw(Topics.MODELS.name(), id, (byte[]) null);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (registry.model(id).isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(registry.model(id)).isEmpty();
        }
    }

    @Test
    void aDeadLetterKeepsTheOriginalBytesAndSaysWhoRejectedItAndWhy() {
        // Given the kit's publisher and sink
        EventHeaders headers = new EventHeaders(clients.identity());
        try (EventPublisher publisher = new EventPublisher(
                clients.producer("events", new ByteArraySerializer(), new ByteArraySerializer()), headers)) {
            DeadLetterSink sink = new DeadLetterSink(clients.identity(), null, () -> publisher);
            String key = "kit/" + UUID.randomUUID();
            byte[] original = {(byte) 0xff, 'x'};

            // When a rejected record is sent
            sink.send(sink.letter(
                            Topics.ITEMS.name(),
                            2,
                            41,
                            key.getBytes(StandardCharsets.UTF_8),
                            original,
                            null,
                            "invalid",
                            "not JSON"))
                    .join();

            // Then it is on the dead-letter topic byte for byte, with where it came from and why
            ConsumerRecord<String, byte[]> dead = test.awaitRaw(
                            Topics.DEAD_LETTERS.name(), r -> key.equals(r.key()), 1, WAIT)
                    .get(0);
            assertThat(dead.value()).isEqualTo(original);
            assertThat(TestClient.header(dead, DeadLetters.STAGE)).isEqualTo("kit-test");
            assertThat(TestClient.header(dead, DeadLetters.REASON)).isEqualTo("not JSON");
            assertThat(TestClient.header(dead, DeadLetters.TOPIC)).isEqualTo(Topics.ITEMS.name());
            assertThat(TestClient.header(dead, DeadLetters.OFFSET)).isEqualTo("41");
        }
    }

    @Test
    void eventsCarryTheServicesCloudEventsSource() {
        EventHeaders headers = new EventHeaders(clients.identity());
        try (EventPublisher publisher = new EventPublisher(
                clients.producer("events", new ByteArraySerializer(), new ByteArraySerializer()), headers)) {
            String benchmark = "kit-" + UUID.randomUUID();
            var snapshot = new io.assay.contracts.LeaderboardSnapshot(
                    benchmark, "accuracy", java.time.Instant.parse("2026-01-01T00:00:00Z"), 0, List.of());

            publisher
                    .publish(Topics.LEADERBOARDS, benchmark + "/accuracy", "id-1", snapshot)
                    .join();

            ConsumerRecord<String, byte[]> record = test.awaitRaw(
                            Topics.LEADERBOARDS.name(), r -> (benchmark + "/accuracy").equals(r.key()), 1, WAIT)
                    .get(0);
            assertThat(TestClient.header(record, CloudEvents.SOURCE)).isEqualTo("/assay/kit-test");
            assertThat(TestClient.header(record, CloudEvents.ID)).isEqualTo("id-1");
            assertThat(TestClient.header(record, CloudEvents.TYPE)).isEqualTo("io.assay.leaderboard-snapshot.v1");
        }
    }

    @Test
    void theBrokerCheckPassesWhenTheBrokerAnswersAndTheTopicsExist() throws Exception {
        try (Admin admin = clients.admin("check")) {
            assertThat(BrokerCheck.await(admin, List.of(Topics.ITEMS.name()), clients.settings(), () -> true))
                    .isTrue();
        }
    }

    @Test
    void onASecuredClusterTheRightLoginIsAcceptedAndAWrongOneRefusedNamingTheSettings() throws Exception {
        // Given a SASL_SSL + SCRAM-SHA-512 broker (its certificate in the login's trust store)
        TestBroker secured = TestBroker.startSecured();
        try {
            // When the kit's clients log in with the service user's password, then with a wrong one
            KafkaClients right = secured(secured, TestBroker.SERVICE_PASSWORD);
            KafkaClients wrong = secured(secured, "not-the-password");

            // Then the right login reaches the topics, and the wrong one is refused at once with what to check
            try (Admin admin = right.admin("check")) {
                assertThat(BrokerCheck.await(admin, List.of(Topics.ITEMS.name()), right.settings(), () -> true))
                        .isTrue();
            }
            long started = System.nanoTime();
            try (Admin admin = wrong.admin("check")) {
                assertThatThrownBy(() ->
                                BrokerCheck.await(admin, List.of(Topics.ITEMS.name()), wrong.settings(), () -> true))
                        .isInstanceOf(BrokerCheck.Refused.class)
                        .hasMessageContaining("SCRAM-SHA-512")
                        .hasMessageContaining("kafka.sasl.jaas.config");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        } finally {
            secured.close();
        }
    }

    @Test
    void onAClusterWithAnAuthorizerATopicTheServiceMayNotDescribeIsARefusalNotAWait() throws Exception {
        // Given a broker with an authorizer, and a principal that may describe assay.items but not assay.reviews
        TestBroker authorized = TestBroker.startAuthorized();
        try {
            authorized.createUser("kit-test", TestBroker.SERVICE_PASSWORD);
            authorized.allow(List.of(new AclBinding(
                    new ResourcePattern(ResourceType.TOPIC, Topics.ITEMS.name(), PatternType.LITERAL),
                    new AccessControlEntry("User:kit-test", "*", AclOperation.DESCRIBE, AclPermissionType.ALLOW))));
            KafkaClients clients = secured(authorized, "kit-test", TestBroker.SERVICE_PASSWORD);

            try (Admin admin = clients.admin("check")) {
                // When it waits for assay.items, then the check passes
                assertThat(BrokerCheck.await(admin, List.of(Topics.ITEMS.name()), clients.settings(), () -> true))
                        .isTrue();
                // When it waits for assay.reviews too, then it is refused at once, naming the topic and the ACLs
                long started = System.nanoTime();
                assertThatThrownBy(() -> BrokerCheck.await(
                                admin,
                                List.of(Topics.ITEMS.name(), Topics.REVIEWS.name()),
                                clients.settings(),
                                () -> true))
                        .isInstanceOf(BrokerCheck.Refused.class)
                        .hasMessageContaining("Not authorized to DESCRIBE topics: [assay.reviews]")
                        .hasMessageContaining("README's \"ACLs\" section");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
            }
        } finally {
            authorized.close();
        }
    }

    private static KafkaClients secured(TestBroker broker, String password) {
        return secured(broker, TestBroker.SERVICE_USER, password);
    }

    private static KafkaClients secured(TestBroker broker, String user, String password) {
        Map<String, Object> settings = new java.util.HashMap<>(broker.serviceLogin(user, password));
        settings.put("bootstrap.servers", broker.bootstrapServers());
        return new KafkaClients(settings, new ServiceIdentity("kit-test", "local"), null);
    }

    private static byte[] model(String id) {
        return ("{\"modelId\":\"" + id + "\",\"provider\":\"sim\",\"sim\":{\"skill\":0.5}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
