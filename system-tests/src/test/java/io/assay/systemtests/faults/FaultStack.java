package io.assay.systemtests.faults;

import io.assay.cli.stack.Component;
import io.assay.contracts.Topics;
import io.assay.systemtests.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * A whole stack whose every part can be killed: a {@link BrokerProcess} on 9092 + offset and the four
 * packaged services ({@link ServiceProcess}) on their ports + offset, each with its state under
 * {@code home}, which is emptied first. With several replicas per service, replica {@code r} (from 0)
 * of each service listens on its port + offset + {@link #REPLICA_PORT_STEP} × r, with instance id
 * {@code instanceIds.get(r)} and its own state.
 */
public final class FaultStack implements AutoCloseable {
    /** How far apart the HTTP ports of two replicas of one service are. */
    public static final int REPLICA_PORT_STEP = 100;

    private final BrokerProcess broker;
    private final Map<String, List<ServiceProcess>> services = new LinkedHashMap<>();

    private FaultStack(BrokerProcess broker) {
        this.broker = broker;
    }

    /** The demo's stack: topics of {@link Topics#PARTITIONS} partitions, one process per service. */
    public static FaultStack start(Path home, int portOffset) throws IOException, InterruptedException {
        deleteTree(home);
        Path repo = repo();
        FaultStack stack = new FaultStack(
                new BrokerProcess(home.resolve("kafka"), Component.KAFKA.port() + portOffset, Topics.PARTITIONS));
        stack.broker.start();
        for (Component c : Component.services()) {
            stack.services.put(
                    c.name(), List.of(ServiceProcess.of(repo, c, home, portOffset, stack.bootstrapServers())));
        }
        return stack.startServices();
    }

    /**
     * The demo's stack with its services launched first and not waited for, its broker not started: {@link #broker()}
     * starts it later, {@link #awaitReady} waits for the services then.
     */
    public static FaultStack servicesFirst(Path home, int portOffset) throws IOException {
        deleteTree(home);
        Path repo = repo();
        FaultStack stack = new FaultStack(
                new BrokerProcess(home.resolve("kafka"), Component.KAFKA.port() + portOffset, Topics.PARTITIONS));
        for (Component c : Component.services()) {
            ServiceProcess p = ServiceProcess.of(repo, c, home, portOffset, stack.bootstrapServers());
            stack.services.put(c.name(), List.of(p));
            p.launch();
        }
        return stack;
    }

    /** Waits until every service process is ready, at most {@code patience} in all. */
    public void awaitReady(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        for (List<ServiceProcess> replicas : services.values()) {
            for (ServiceProcess p : replicas) {
                p.awaitReady(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
        }
    }

    /**
     * A stack with topics of {@code partitions} partitions and one process per service and instance id,
     * each process given {@code env.apply(service, instanceId)} besides its own settings.
     */
    public static FaultStack start(
            Path home,
            int portOffset,
            int partitions,
            List<String> instanceIds,
            BiFunction<Component, String, Map<String, String>> env)
            throws IOException, InterruptedException {
        deleteTree(home);
        Path repo = repo();
        FaultStack stack = new FaultStack(
                new BrokerProcess(home.resolve("kafka"), Component.KAFKA.port() + portOffset, partitions));
        stack.broker.start();
        for (Component c : Component.services()) {
            List<ServiceProcess> replicas = new ArrayList<>();
            for (int r = 0; r < instanceIds.size(); r++) {
                String id = instanceIds.get(r);
                replicas.add(ServiceProcess.replica(
                        repo,
                        c,
                        home,
                        c.port() + portOffset + REPLICA_PORT_STEP * r,
                        id,
                        stack.bootstrapServers(),
                        env.apply(c, id)));
            }
            stack.services.put(c.name(), List.copyOf(replicas));
        }
        return stack.startServices();
    }

    /** Starts every service process side by side, each waited for until ready. */
    private FaultStack startServices() throws InterruptedException {
        List<CompletableFuture<Void>> starting = new ArrayList<>();
        for (List<ServiceProcess> replicas : services.values()) {
            for (ServiceProcess p : replicas) {
                starting.add(CompletableFuture.runAsync(() -> {
                    try {
                        p.start();
                    } catch (IOException e) {
                        throw new CompletionException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new CompletionException(e);
                    }
                }));
            }
        }
        try {
            CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            close();
            throw e;
        }
        return this;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public BrokerProcess broker() {
        return broker;
    }

    /** The service called {@code name} (a {@link Component} name); its first replica. */
    public ServiceProcess service(String name) {
        return replicas(name).get(0);
    }

    public ServiceProcess service(Component c) {
        return service(c.name());
    }

    /** Every replica of the service called {@code name}, in instance id order. */
    public List<ServiceProcess> replicas(String name) {
        List<ServiceProcess> replicas = services.get(name);
        if (replicas == null) {
            throw new IllegalArgumentException("no service " + name);
        }
        return replicas;
    }

    public List<ServiceProcess> replicas(Component c) {
        return replicas(c.name());
    }

    /** Stops the services (SIGTERM), then the broker. */
    @Override
    public void close() throws InterruptedException {
        for (List<ServiceProcess> replicas : services.values()) {
            for (ServiceProcess p : replicas) {
                p.stop();
            }
        }
        broker.stop();
    }

    private static Path repo() {
        return Path.of(System.getProperty("assay.repo", "..")).toAbsolutePath().normalize();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
