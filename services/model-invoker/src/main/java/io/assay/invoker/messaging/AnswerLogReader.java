package io.assay.invoker.messaging;

import io.assay.contracts.Topics;
import io.assay.invoker.cache.AnswerIndex;
import io.assay.invoker.cache.AnswerStore;
import io.assay.kit.ServiceIdentity;
import io.assay.kit.kafka.KafkaClients;
import io.assay.kit.kafka.TopicFollower;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads the compacted topic {@code assay.answers} from the beginning into the {@link AnswerStore}'s
 * index before any prompt is answered, then keeps following it so answers paid for by other replicas
 * are reused too (a kit {@link TopicFollower}). Only keys and headers are read: each record notes where
 * its request's answer lies (or that its response is published) and, with a content key, where that
 * key's answer lies; {@link AnswerLogFetcher} reads an answer back when it is needed. This process's own
 * records are noted too: a published mark is written without waiting for its offset.
 */
@ApplicationScoped
public class AnswerLogReader {
    private static final Logger LOG = Logger.getLogger(AnswerLogReader.class);

    /**
     * Fetches in batches: the broker answers once 64 KiB are there or after 100 ms, not on every new
     * record. The topic gets two records per prompt and most are this process's own (skipped once
     * loaded): fetching each as it came was 16–17% of the invoker's CPU samples, 12% fetched so
     * (assay bench pipeline, BENCHMARKS.md). Another replica's answer is learned up to 100 ms later,
     * far within the seconds a rebalance takes to move a prompt to it.
     */
    static final Map<String, Object> FETCH =
            Map.of(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);

    private final AnswerStore store;
    private final KafkaClients clients;
    private final ServiceIdentity identity;
    private TopicFollower follower;

    /** Fills {@code store} with the service's clients. */
    public AnswerLogReader(AnswerStore store, KafkaClients clients, ServiceIdentity identity) {
        this.store = store;
        this.clients = clients;
        this.identity = identity;
    }

    void start(@Observes StartupEvent event) {
        follower = TopicFollower.start(
                identity.clientId("answers"),
                List.of(Topics.ANSWERS.name()),
                () -> clients.reader("answers", new StringDeserializer(), new ByteArrayDeserializer(), FETCH),
                this::apply,
                () -> {
                    store.markLoaded();
                    LOG.infof("answer store read back: about %d answers indexed", store.size());
                });
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (follower != null) {
            follower.close();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.forget(record.key());
            return;
        }
        Header header = record.headers().lastHeader(AnswerLogWriter.CACHE_KEY);
        store.logged(
                record.key(),
                header == null ? null : new String(header.value(), StandardCharsets.UTF_8),
                record.headers().lastHeader(AnswerLogWriter.PUBLISHED) != null,
                AnswerIndex.location(record.partition(), record.offset()));
    }
}
