package io.assay.cli.kafka;

import io.assay.contracts.Topic;
import io.assay.contracts.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Creates Assay's topics for the local stack: every topic of {@link Topics#ALL} with
 * {@link Topics#PARTITIONS} partitions, compacted where the registry says so, one replica (the stack has
 * one broker; the Helm chart creates them on a cluster). The topics: the README's "Connecting data
 * collection: the contracts".
 */
public final class TopicSetup {
    private TopicSetup() {}

    /** Waits until the broker answers, then creates every missing topic; returns the names created. */
    public static List<String> ensureTopics(String bootstrapServers, long timeoutMs) {
        // the local stack's own PLAINTEXT broker: the shell's KAFKA_* settings are for the user's cluster
        Map<String, Object> config =
                new HashMap<>(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic<?, ?> topic : Topics.ALL) {
                if (!existing.contains(topic.name())) {
                    NewTopic t = new NewTopic(topic.name(), Topics.PARTITIONS, (short) 1);
                    t.configs(
                            topic.compacted()
                                    ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                                    : Map.of());
                    missing.add(t);
                }
            }
            admin.createTopics(missing).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            return missing.stream().map(NewTopic::name).toList();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics on " + bootstrapServers + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
