package io.assay.systemtests.faults;

import io.assay.cli.stack.Component;
import io.assay.systemtests.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * A whole stack whose every part can be killed: a {@link BrokerProcess} on 9092 + offset and the four
 * packaged services ({@link ServiceProcess}) on their ports + offset, each with its state under
 * {@code home}, which is emptied first.
 */
final class FaultStack implements AutoCloseable {
    private final BrokerProcess broker;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();

    private FaultStack(BrokerProcess broker) {
        this.broker = broker;
    }

    /** Starts the broker, then the four services side by side, each waited for until ready. */
    static FaultStack start(Path home, int portOffset) throws IOException, InterruptedException {
        deleteTree(home);
        Path repo =
                Path.of(System.getProperty("assay.repo", "..")).toAbsolutePath().normalize();
        FaultStack stack =
                new FaultStack(new BrokerProcess(home.resolve("kafka"), Component.KAFKA.port() + portOffset));
        stack.broker.start();
        List<CompletableFuture<Void>> starting = new ArrayList<>();
        for (Component c : Component.services()) {
            ServiceProcess p = ServiceProcess.of(repo, c, home, portOffset, stack.bootstrapServers());
            stack.services.put(c.name(), p);
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
        try {
            CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    BrokerProcess broker() {
        return broker;
    }

    /** The service called {@code name} (a {@link Component} name). */
    ServiceProcess service(String name) {
        ServiceProcess p = services.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no service " + name);
        }
        return p;
    }

    ServiceProcess service(Component c) {
        return service(c.name());
    }

    /** Stops the services (SIGTERM), then the broker. */
    @Override
    public void close() throws InterruptedException {
        for (ServiceProcess p : services.values()) {
            p.stop();
        }
        broker.stop();
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
