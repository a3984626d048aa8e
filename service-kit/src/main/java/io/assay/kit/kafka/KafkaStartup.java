package io.assay.kit.kafka;

import io.assay.contracts.Topic;
import io.assay.contracts.Topics;
import io.assay.kit.ServiceIdentity;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.jboss.logging.Logger;

/**
 * At start, waits in the background until the broker answers and every Assay topic exists
 * ({@link BrokerCheck}); Kafka Streams starts only then. If the cluster refuses the service's
 * credentials, certificates or ACLs, the service logs what to check and exits with status 1 at once:
 * retrying cannot help, and a crash-looping pod with that message is what an operator needs to see.
 * A refusal met later by a running client ends the service the same way ({@link #refused}), and so, before
 * anything else starts, do settings Kafka cannot make a client of ({@link ClientProblems#unusable}).
 */
@ApplicationScoped
public class KafkaStartup {
    private static final Logger LOG = Logger.getLogger(KafkaStartup.class);

    /** Where the start-up check is. */
    public enum State {
        /** Reaching the broker, or waiting for topics. */
        CONNECTING,
        /** The broker answers and every topic exists. */
        READY,
        /** The broker refused this service (credentials, certificates, ACLs). */
        REFUSED
    }

    private final KafkaClients clients;
    private final ServiceIdentity identity;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile State state = State.CONNECTING;
    private volatile String problem;
    private volatile boolean running = true;

    /** Checks with {@code clients}. */
    public KafkaStartup(KafkaClients clients, ServiceIdentity identity) {
        this.clients = clients;
        this.identity = identity;
    }

    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        // First of the start-up work, before anything makes a client: settings Kafka cannot make a client of (a trust
        // store that cannot be read, a value it does not accept, a bootstrap host that does not resolve) stop the
        // service with one line, instead of every client's stack trace. For a ConfigurationException Quarkus prints
        // the message alone, without a stack trace, and exits with status 1.
        Optional<String> unusable = ClientProblems.unusable(clients.settings());
        if (unusable.isPresent()) {
            problem = unusable.get();
            state = State.REFUSED;
            LOG.errorf("%s. The %s service stops.", problem, identity.name());
            throw new ConfigurationException(
                    "The " + identity.name() + " service stopped: its Kafka client settings do not work (above)");
        }
        Thread thread = new Thread(this::check, identity.clientId("startup"));
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
    }

    /** Where the check is now. */
    public State state() {
        return state;
    }

    /** Why the broker refused this service, {@code null} unless {@link State#REFUSED}. */
    public String problem() {
        return problem;
    }

    /** Waits until {@link State#READY}; false when {@code timeout} passed first. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A client of this service was refused later, e.g. a stream thread not allowed to read its group
     * or write a topic ({@link ClientProblems#refusal}): the service logs what to check and exits with
     * status 1, as for a refusal at start, instead of retrying what an ACL forbids.
     */
    public void refused(Throwable refusal) {
        stopRefused(ClientProblems.explain(refusal, clients.settings()));
    }

    private void stopRefused(String why) {
        problem = why;
        state = State.REFUSED;
        LOG.errorf("%s. The %s service stops.", why, identity.name());
        Quarkus.asyncExit(1);
    }

    private void check() {
        List<String> topics = Topics.ALL.stream().map(Topic::name).toList();
        try (Admin admin = clients.admin("startup")) {
            if (BrokerCheck.await(admin, topics, clients.settings(), () -> running)) {
                state = State.READY;
                ready.countDown();
                LOG.infof(
                        "Kafka at %s answers and the %d assay topics exist",
                        clients.settings().get("bootstrap.servers"), topics.size());
            }
        } catch (BrokerCheck.Refused e) {
            stopRefused(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
