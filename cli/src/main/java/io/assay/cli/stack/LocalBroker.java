package io.assay.cli.stack;

import io.assay.cli.kafka.TopicSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The local stack's broker: a single-node KRaft broker and controller on 127.0.0.1, run from Kafka's own
 * jars (the CLI's {@code lib/}), its data under {@code <home>/kafka}. No Docker, nothing to install.
 */
public final class LocalBroker {
    private final Path dir;
    private final int port;
    private final Path libDir;
    private final ProcessFiles files;

    /**
     * @param dir where its configuration and data live
     * @param port its client port; the controller listens on the next one
     * @param libDir Kafka's jars
     * @param files the stack's pid and log files
     */
    LocalBroker(Path dir, int port, Path libDir, ProcessFiles files) {
        this.dir = dir;
        this.port = port;
        this.libDir = libDir;
        this.files = files;
    }

    /** Formats the storage on first use, starts the broker, waits for its port, and creates every topic. */
    void start(Duration ready) {
        Path data = dir.resolve("data");
        Path config = dir.resolve("server.properties");
        try {
            Files.createDirectories(data);
            Files.createDirectories(files.logFile(Component.KAFKA).getParent());
            Files.writeString(config, brokerConfig(data));
            if (!Files.exists(data.resolve("meta.properties"))) {
                String clusterId = uuidToBase64(UUID.randomUUID());
                Process format = new ProcessBuilder(
                                LocalStack.java(),
                                "-cp",
                                brokerClasspath(),
                                "kafka.tools.StorageTool",
                                "format",
                                "--cluster-id=" + clusterId,
                                "--config=" + config)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(
                                files.logFile(Component.KAFKA).toFile()))
                        .start();
                if (format.waitFor() != 0) {
                    throw new StackException(
                            "formatting the broker's storage failed:\n" + files.tail(Component.KAFKA, 20));
                }
            }
            ProcessHandle broker = files.launch(
                    Component.KAFKA,
                    List.of(
                            LocalStack.java(),
                            "-Xmx512m",
                            "-XX:+UseSerialGC",
                            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                            "-cp",
                            brokerClasspath(),
                            "kafka.Kafka",
                            config.toString()),
                    Map.of());
            long deadline = System.nanoTime() + ready.toNanos();
            while (!LocalStack.portOpen(port)) {
                files.failIfDead(Component.KAFKA, broker);
                if (System.nanoTime() > deadline) {
                    throw new StackException("the broker did not open port " + port + " within " + ready.toSeconds()
                            + " s:\n" + files.tail(Component.KAFKA, 20));
                }
                LocalStack.sleep(200);
            }
            TopicSetup.ensureTopics("127.0.0.1:" + port, ready.toMillis());
        } catch (IOException e) {
            throw new StackException("cannot start the broker: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        }
    }

    private String brokerConfig(Path data) {
        return "# Written by assay: a single-node KRaft broker on 127.0.0.1 for local use.\n" + config(port, data);
    }

    /**
     * The configuration of a single-node KRaft broker and controller on 127.0.0.1: clients on {@code
     * port}, the controller on the next one, data in {@code data}, every internal topic with one replica
     * and no topic created on use. The fault suite's restartable broker uses it too.
     */
    public static String config(int port, Path data) {
        int controller = port + 1;
        return String.join(
                "\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + data,
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=3",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // A killed Kafka Streams replica's open transaction is aborted at the first check after
                // it timed out (10 s); Kafka checks every 10 s by default, which would leave readers of
                // its output blocked up to 20 s (docs/delivery.md, "Takeover by another replica").
                "transaction.abort.timed.out.transaction.cleanup.interval.ms=1000",
                "auto.create.topics.enable=false",
                "");
    }

    private String brokerClasspath() {
        try (Stream<Path> jars = Files.list(libDir)) {
            return jars.filter(p -> p.toString().endsWith(".jar"))
                    .map(Path::toString)
                    .sorted()
                    .collect(Collectors.joining(java.io.File.pathSeparator));
        } catch (IOException e) {
            throw new StackException("cannot list " + libDir + ": " + e.getMessage());
        }
    }

    private static String uuidToBase64(UUID uuid) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
        b.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }
}
