package io.assay.judge.messaging;

import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.Topics;
import io.assay.judge.llm.JuryWeights;
import io.assay.judge.llm.LlmJudging;
import io.assay.judge.pairing.PairingPolicy;
import io.assay.judge.prompts.JudgePrompts;
import io.assay.judge.scoring.ReferenceJudge;
import io.assay.judge.scoring.ReferenceScorer;
import io.assay.kit.config.ConfigRegistry;
import io.assay.kit.events.DeadLetterSink;
import io.assay.kit.events.EventHeaders;
import io.assay.kit.kafka.KafkaClients;
import io.assay.kit.leaderboards.LeaderboardFeed;
import io.assay.kit.streams.StreamsEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The judge's Kafka Streams topology, run by the kit: items and responses into one {@link JudgeProcessor}
 * with its task-local stores, those not already on their partition re-keyed through one repartition topic
 * on the way ({@link JudgeInputs}); judgments, judge prompt requests, dead letters and review requests out.
 * The repartition is why any producer's items are judged: librdkafka (kcat, Python, Go clients) hashes keys
 * with CRC32 by default, Java with murmur2, so an item and the responses to it may sit on different
 * partitions of their own topics; behind the repartition topic they share one. A record already on the
 * partition the repartition topic would give it goes straight on: the same task reads both. Benchmark specs
 * and models come from the kit's {@link ConfigRegistry}. Keys and values are read as bytes and parsed inside
 * the processor, so an invalid event becomes a dead letter instead of a deserialisation failure that stops
 * the stream.
 *
 * <pre>
 * assay.items     ─┐     ┌─► straight (on its partition) ───────────┐          ┌─► assay.judgments
 *                  ├─────┤                                           ├─► judge ─┼─► assay.prompts (judge requests)
 * assay.responses ─┘     └─► stamp ─► judge-input (repartition) ─────┘ (Judging)├─► assay.dead-letters
 *                                                                               └─► assay.reviews (human review)
 * </pre>
 */
@ApplicationScoped
public class JudgeTopology {
    private static final String ITEMS_SOURCE = "items-source";
    private static final String RESPONSES_SOURCE = "responses-source";
    private static final String INPUTS = "inputs";
    private static final String STRAIGHT = "straight";
    private static final String STAMP = "stamp";
    private static final String JUDGE_INPUTS = "judge-inputs";
    /**
     * The repartition topic ({@code <application id>-judge-input-repartition}) through which items and
     * responses reach the judge keyed by {@code benchmark/itemId} and partitioned by Kafka's own
     * partitioner, whatever partitioner their producers used: an item and its responses always meet on
     * one partition, so one task's stores hold both.
     */
    static final String REKEY = "judge-input";

    private static final String JUDGE = "judge";

    /** The name of the repartition topic of the judge with {@code applicationId}, as Kafka Streams names it. */
    static String rekeyTopic(String applicationId) {
        return applicationId + "-" + REKEY + "-repartition";
    }

    private final JudgeMetrics metrics;
    private final ConfigRegistry registry;
    private final EventHeaders headers;
    private final DeadLetterSink deadLetters;
    private final Duration pendingRetention;
    private final double reviewRate;
    private final int canaries;
    private final JuryWeights juryWeights;
    /** The published leaderboards, started with the topology; {@code null} in tests that pass {@link #latest}. */
    private final LeaderboardFeed leaderboards;
    /** A benchmark's latest published snapshot of a view. */
    private final BiFunction<String, String, Optional<LeaderboardSnapshot>> latest;
    /** Opens an admin client to read the repartition topic's partitions; null where there is no broker. */
    private final Supplier<Admin> admins;

    /**
     * A topology counting into {@code metrics}, judging by the specs of {@code registry}, emitting with
     * {@code headers}; a response waits at most {@code pendingRetention} for its item revision, an answer
     * for its pair, a ballot for its judge replies, then is dead-lettered as {@code expired} (a baseline's
     * answer stays while its item revision is current; a finished ballot is forgotten after it). Adaptive pairwise judges read a benchmark's latest {@code bt}
     * leaderboard from {@code leaderboards}, and a {@code weighted} jury its weights from the latest
     * {@code judge-agreement}.
     */
    @Inject
    public JudgeTopology(
            JudgeMetrics metrics,
            ConfigRegistry registry,
            EventHeaders headers,
            DeadLetterSink deadLetters,
            @ConfigProperty(name = "assay.judge.pending-retention", defaultValue = "P7D") Duration pendingRetention,
            @ConfigProperty(name = "assay.judge.review-rate", defaultValue = "0") double reviewRate,
            @ConfigProperty(name = "assay.judge.canaries", defaultValue = "50") int canaries,
            @ConfigProperty(name = "assay.judge.jury.qualification", defaultValue = "0.6") double qualification,
            @ConfigProperty(name = "assay.judge.jury.min-labels", defaultValue = "30") long minLabels,
            LeaderboardFeed leaderboards,
            KafkaClients clients) {
        this(
                metrics,
                registry,
                headers,
                deadLetters,
                pendingRetention,
                reviewRate,
                canaries,
                new JuryWeights(qualification, minLabels),
                leaderboards,
                leaderboards::latest,
                () -> clients.admin("judge-input-partitions"));
    }

    /**
     * A topology reading a benchmark's latest snapshot of a view from {@code latest} ({@code leaderboards} may
     * be null), and the repartition topic's partitions with an admin client of {@code admins} (null: none).
     */
    JudgeTopology(
            JudgeMetrics metrics,
            ConfigRegistry registry,
            EventHeaders headers,
            DeadLetterSink deadLetters,
            Duration pendingRetention,
            double reviewRate,
            int canaries,
            JuryWeights juryWeights,
            LeaderboardFeed leaderboards,
            BiFunction<String, String, Optional<LeaderboardSnapshot>> latest,
            Supplier<Admin> admins) {
        if (reviewRate < 0 || reviewRate > 1) {
            throw new IllegalArgumentException("assay.judge.review-rate must be in [0, 1], got " + reviewRate);
        }
        if (canaries < 0) {
            throw new IllegalArgumentException("assay.judge.canaries must be 0 or more, got " + canaries);
        }
        this.canaries = canaries;
        this.reviewRate = reviewRate;
        this.juryWeights = juryWeights;
        this.leaderboards = leaderboards;
        this.latest = latest;
        this.admins = admins;
        this.metrics = metrics;
        this.registry = registry;
        this.headers = headers;
        this.deadLetters = deadLetters;
        this.pendingRetention = pendingRetention;
    }

    /**
     * The topic names the topology reads and writes: the {@link Topics} registry's in production; tests
     * that run their own Kafka Streams instance use unique names so no other judge sees their events.
     */
    record Names(String items, String responses, String prompts, String judgments, String deadLetters, String reviews) {
        /** The registry's names. */
        static final Names STANDARD = new Names(
                Topics.ITEMS.name(),
                Topics.RESPONSES.name(),
                Topics.PROMPTS.name(),
                Topics.JUDGMENTS.name(),
                Topics.DEAD_LETTERS.name(),
                Topics.REVIEWS.name());

        /** The registry's names with a prefix. */
        static Names prefixed(String prefix) {
            return new Names(
                    prefix + STANDARD.items,
                    prefix + STANDARD.responses,
                    prefix + STANDARD.prompts,
                    prefix + STANDARD.judgments,
                    prefix + STANDARD.deadLetters,
                    prefix + STANDARD.reviews);
        }

        List<String> all() {
            return List.of(items, responses, prompts, judgments, deadLetters, reviews);
        }
    }

    /** The topology the kit runs. */
    @Produces
    public Topology topology() {
        if (leaderboards != null) {
            // The first use starts following assay.leaderboards: now, with the stream, rather than when the
            // first weighted jury or adaptive pair needs it (which would find nothing read yet).
            leaderboards.latest("", JuryWeights.VIEW);
        }
        return topology(Names.STANDARD);
    }

    /** The topology over the given topics. */
    Topology topology(Names names) {
        return topology(names, Clock.systemUTC());
    }

    /** The topology over the given topics, stamping judgments and judge requests with {@code clock}. */
    Topology topology(Names names, Clock clock) {
        return topology(names, clock, new RekeyPartitions(admins));
    }

    /**
     * The same, taking the repartition topic's partitions from {@code rekey} (a test driver's topics have
     * one partition, and no broker to ask).
     */
    Topology topology(Names names, Clock clock, RekeyPartitions rekey) {
        ReferenceJudge judge = new ReferenceJudge(new ReferenceScorer(), clock);
        LlmJudging llm = new LlmJudging(
                JudgePrompts.shipped(), clock, benchmark -> latest.apply(benchmark, JuryWeights.VIEW), juryWeights);
        StreamsBuilder builder = new StreamsBuilder();
        for (String store : StreamsJudgingStore.STORES) {
            builder.addStateStore(Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore(store), Serdes.String(), Serdes.ByteArray()));
        }
        Consumed<byte[], byte[]> bytes = Consumed.with(Serdes.ByteArray(), Serdes.ByteArray());
        KStream<byte[], byte[]> inputs = builder.stream(names.items(), bytes.withName(ITEMS_SOURCE))
                .merge(builder.stream(names.responses(), bytes.withName(RESPONSES_SOURCE)), Named.as(INPUTS));
        inputs.process(() -> new JudgeInputs(JudgeInputs.Route.STRAIGHT, rekey), Named.as(STRAIGHT))
                .merge(
                        inputs.process(() -> new JudgeInputs(JudgeInputs.Route.REKEYED, rekey), Named.as(STAMP))
                                .repartition(Repartitioned.<byte[], byte[]>as(REKEY)
                                        .withKeySerde(Serdes.ByteArray())
                                        .withValueSerde(Serdes.ByteArray())),
                        Named.as(JUDGE_INPUTS))
                .process(
                        () -> new JudgeProcessor(
                                judge,
                                llm,
                                registry,
                                metrics,
                                headers,
                                deadLetters,
                                names.items(),
                                names.responses(),
                                names.prompts(),
                                pendingRetention,
                                reviewRate,
                                canaries,
                                benchmark -> latest.apply(benchmark, PairingPolicy.VIEW)),
                        Named.as(JUDGE),
                        StreamsJudgingStore.STORES.toArray(String[]::new));
        Topology topology = builder.build();
        StreamsEmitter.addSinkTo(topology, Topics.JUDGMENTS, names.judgments(), JUDGE);
        StreamsEmitter.addSinkTo(topology, Topics.PROMPTS, names.prompts(), JUDGE);
        StreamsEmitter.addSinkTo(topology, Topics.REVIEWS, names.reviews(), JUDGE);
        StreamsEmitter.addSinkTo(topology, Topics.DEAD_LETTERS, names.deadLetters(), JUDGE);
        return topology;
    }
}
