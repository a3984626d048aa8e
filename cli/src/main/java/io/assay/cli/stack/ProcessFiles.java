package io.assay.cli.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The processes of a local stack as files under its home: a pid file per component (its pid and start
 * time, so a reused pid is not taken for it) in {@code pids/}, and its output in {@code logs/}. This is
 * what lets {@code assay down} stop what {@code assay up} started, from another CLI process.
 */
final class ProcessFiles {
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final Path repo;
    private final Path home;

    ProcessFiles(Path repo, Path home) {
        this.repo = repo;
        this.home = home;
    }

    /** The last lines of a component's log, for error messages. */
    String tail(Component c, int lines) {
        Path log = logFile(c);
        try {
            if (!Files.exists(log)) {
                return "(no log at " + log + ")";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size()).stream()
                    .map(l -> "    " + l)
                    .collect(Collectors.joining("\n"));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ")";
        }
    }

    /** The log file of a component. */
    Path logFile(Component c) {
        return home.resolve("logs").resolve(c.name() + ".log");
    }

    ProcessHandle launch(Component c, List<String> command, Map<String, String> env) {
        try {
            Files.createDirectories(home.resolve("logs"));
            Files.createDirectories(home.resolve("pids"));
            ProcessBuilder pb = new ProcessBuilder(ownSession(command))
                    .directory(repo.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(c).toFile()))
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            // a variable mapped to null is one the process must not inherit
            env.forEach((variable, value) -> {
                if (value == null) {
                    pb.environment().remove(variable);
                } else {
                    pb.environment().put(variable, value);
                }
            });
            ProcessHandle handle = pb.start().toHandle();
            String started = handle.info().startInstant().map(Instant::toString).orElse("");
            Files.writeString(pidFile(c), handle.pid() + "\n" + started + "\n");
            return handle;
        } catch (IOException e) {
            throw new StackException("cannot start " + c.name() + ": " + e.getMessage());
        }
    }

    /**
     * Runs a child in its own session where {@code setsid} exists, so a Ctrl-C in the terminal reaches
     * only the CLI, which then stops the services before the broker; a broker that died first would
     * leave the services waiting on it. {@code setsid} execs in place, so the pid is the child's.
     */
    private static List<String> ownSession(List<String> command) {
        if (!Files.isExecutable(SETSID)) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of(SETSID.toString()));
        wrapped.addAll(command);
        return wrapped;
    }

    /** The live process recorded for a component; a stale pid file (dead or reused pid) is removed. */
    Optional<ProcessHandle> process(Component c) {
        Path file = pidFile(c);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(file);
            long pid = Long.parseLong(lines.get(0).trim());
            String started = lines.size() > 1 ? lines.get(1).trim() : "";
            Optional<ProcessHandle> handle = ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(h -> started.isEmpty()
                            || h.info()
                                    .startInstant()
                                    .map(Instant::toString)
                                    .map(started::equals)
                                    .orElse(true));
            if (handle.isEmpty()) {
                Files.deleteIfExists(file);
            }
            return handle;
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    boolean deletePid(Component c) {
        try {
            return Files.deleteIfExists(pidFile(c));
        } catch (IOException e) {
            return false;
        }
    }

    private Path pidFile(Component c) {
        return home.resolve("pids").resolve(c.name() + ".pid");
    }

    void failIfDead(Component c, ProcessHandle p) {
        if (!p.isAlive()) {
            deletePid(c);
            throw new StackException(
                    c.name() + " exited during start-up; the end of " + logFile(c) + ":\n" + tail(c, 30));
        }
    }

    /** Waits up to {@code grace} for {@code p} to exit, then kills it and its children. */
    static void awaitExit(ProcessHandle p, Duration grace) {
        try {
            p.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
