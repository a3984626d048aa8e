package io.assay.systemtests.faults;

import io.assay.cli.kafka.TopicSetup;
import io.assay.cli.stack.LocalBroker;
import io.assay.contracts.Topic;
import io.assay.contracts.Topics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * A single-node KRaft broker (broker and controller) as its own JVM on 127.0.0.1:{@code port}, its data
 * under {@code dir}: the configuration of the cli's {@code LocalBroker} (the demo's broker), run from the
 * Kafka jars on the test's own class path. Unlike the in-JVM {@code TestBroker}, it can be killed with
 * SIGKILL and started again on the same data, which is what a broker crash is.
 */
public final class BrokerProcess {
    private static final Duration READY = Duration.ofSeconds(90);

    private final Path dir;
    private final int port;
    private final int partitions;
    private Process process;

    /**
     * @param dir where its configuration, data and log live
     * @param port its client port; the controller listens on the next one
     * @param partitions partitions of every Assay topic it creates (the stack's {@link Topics#PARTITIONS}, or
     *     more for a test of replicas)
     */
    public BrokerProcess(Path dir, int port, int partitions) {
        this.dir = dir;
        this.port = port;
        this.partitions = partitions;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Formats the storage on first use, starts the broker, waits for its port, creates missing topics. */
    public void start() throws IOException, InterruptedException {
        Path data = dir.resolve("data");
        Path config = dir.resolve("server.properties");
        Files.createDirectories(data);
        Files.writeString(config, LocalBroker.config(port, data));
        if (!Files.exists(data.resolve("meta.properties"))) {
            Process format = java(List.of(
                            "kafka.tools.StorageTool", "format", "--cluster-id=" + clusterId(), "--config=" + config))
                    .start();
            if (format.waitFor() != 0) {
                throw new IllegalStateException("formatting the broker's storage failed: see " + log());
            }
        }
        process = java(List.of("kafka.Kafka", config.toString())).start();
        long deadline = System.nanoTime() + READY.toNanos();
        while (!portOpen()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not open port " + port + ": see " + log());
            }
            Thread.sleep(100);
        }
        if (partitions != Topics.PARTITIONS) {
            createTopics();
        }
        TopicSetup.ensureTopics(bootstrapServers(), READY.toMillis());
    }

    /**
     * Creates the missing topics as {@link TopicSetup} does, with {@link #partitions} partitions each
     * (TopicSetup then finds them all there).
     */
    private void createTopics() throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (Topic<?, ?> topic : Topics.ALL) {
                if (!existing.contains(topic.name())) {
                    missing.add(new NewTopic(topic.name(), partitions, (short) 1)
                            .configs(
                                    topic.compacted()
                                            ? Map.of(
                                                    TopicConfig.CLEANUP_POLICY_CONFIG,
                                                    TopicConfig.CLEANUP_POLICY_COMPACT)
                                            : Map.of()));
                }
            }
            admin.createTopics(missing).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the topics: " + e.getMessage(), e);
        }
    }

    /** A crash: SIGKILL, no controlled shutdown, nothing flushed that the OS does not keep. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** A controlled shutdown (SIGTERM), forced after 30 s. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(Duration.ofSeconds(30).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    Path log() {
        return dir.resolve("broker.log");
    }

    private ProcessBuilder java(List<String> mainAndArgs) {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-cp",
                // Failsafe's class path (or its booter jar, whose manifest names the same jars).
                System.getProperty("java.class.path")));
        command.addAll(mainAndArgs);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
    }

    private boolean portOpen() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String clusterId() {
        UUID uuid = UUID.randomUUID();
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }
}
