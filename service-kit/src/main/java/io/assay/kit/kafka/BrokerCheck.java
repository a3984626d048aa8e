package io.assay.kit.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

/**
 * Waits until the broker answers and the topics a service needs exist, and tells a refusal apart
 * from a wait: a broker that rejects the service's credentials, certificates or ACLs will not change
 * its mind, so that is a {@link Refused} naming the settings to check (the service stops at once instead
 * of retrying forever), while an unreachable broker or a topic not created yet is waited for.
 */
public final class BrokerCheck {
    private static final Logger LOG = Logger.getLogger(BrokerCheck.class);
    private static final long TIMEOUT_MS = 10_000;
    private static final long RETRY_MS = 500;
    /** How long the probe of a silent broker waits for a TCP connection to each address. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private BrokerCheck() {}

    /**
     * Blocks until {@code admin} reaches the cluster and every topic of {@code topics} exists.
     *
     * @param settings the client settings in use, to name them in messages
     * @param running false once the service stops: the wait ends quietly
     * @return whether the broker and topics are there (false when stopped first)
     * @throws Refused when the cluster refuses this client (authentication or authorization)
     */
    public static boolean await(
            Admin admin, Collection<String> topics, Map<String, Object> settings, BooleanSupplier running)
            throws InterruptedException {
        long started = System.nanoTime();
        long lastWarned = started;
        while (running.getAsBoolean()) {
            try {
                // the call ends when the wait does: one left pending (60 s by default) per try would pile up
                admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT_MS))
                        .clusterId()
                        .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                List<String> missing = missing(admin, topics, settings);
                if (missing.isEmpty()) {
                    return true;
                }
                if (System.nanoTime() - lastWarned > Duration.ofSeconds(10).toNanos()) {
                    LOG.warnf(
                            "waiting for the topics %s to be created (assay up, the chart or the topics job does)",
                            missing);
                    lastWarned = System.nanoTime();
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof AuthenticationException || cause instanceof AuthorizationException) {
                    throw new Refused(ClientProblems.explain(cause, settings), cause);
                }
                lastWarned = warnUnreachable(settings, started, lastWarned, cause);
            } catch (java.util.concurrent.TimeoutException e) {
                lastWarned = warnUnreachable(settings, started, lastWarned, e);
            }
            Thread.sleep(RETRY_MS);
        }
        return false;
    }

    /**
     * The topics of {@code topics} that do not exist. Each is described rather than listed: a listing
     * leaves out the topics this client may not DESCRIBE, so a missing ACL looked like a topic not
     * created yet and the service waited for ever; described, it is refused, and the refusal names the
     * topics (the admin client's own message does not).
     */
    private static List<String> missing(Admin admin, Collection<String> topics, Map<String, Object> settings)
            throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        List<String> missing = new ArrayList<>();
        List<String> denied = new ArrayList<>();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> topic :
                admin.describeTopics(topics).topicNameValues().entrySet()) {
            try {
                topic.getValue().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    missing.add(topic.getKey());
                } else if (e.getCause() instanceof TopicAuthorizationException) {
                    denied.add(topic.getKey());
                } else {
                    throw e;
                }
            }
        }
        if (!denied.isEmpty()) {
            var refusal = new TopicAuthorizationException(
                    "Not authorized to DESCRIBE topics: "
                            + denied.stream().sorted().toList(),
                    Set.copyOf(denied));
            throw new Refused(ClientProblems.explain(refusal, settings), refusal);
        }
        return missing;
    }

    private static long warnUnreachable(Map<String, Object> settings, long started, long lastWarned, Throwable why) {
        if (System.nanoTime() - lastWarned < Duration.ofSeconds(10).toNanos() && lastWarned != started) {
            return lastWarned;
        }
        LOG.warnf(
                "Kafka at %s does not answer yet (%s): %s; still trying",
                settings.get("bootstrap.servers"),
                // the wait's own TimeoutException has no message
                why.getMessage() != null ? why.getMessage() : why.getClass().getSimpleName(),
                ClientProblems.probe(settings, PROBE_TIMEOUT).words());
        return System.nanoTime();
    }

    /** The cluster refused this client; retrying will not help. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
