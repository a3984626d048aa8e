package io.assay.cli.kafka;

import io.assay.contracts.Topic;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Validates JSON Lines files of events and publishes the valid lines. Every line that is refused or
 * not delivered is reported as {@code FILE:LINE: reason} (a line that is not UTF-8, not JSON or not a
 * valid event; {@code FILE:LINE: not delivered: reason} for an event the broker did not acknowledge
 * within the delivery timeout), so exactly those lines can be fixed or published again. Valid lines
 * are published as written, so fields this version does not know survive.
 */
public final class FilePublisher {
    /** Exit code when every line was published. */
    public static final int OK = 0;
    /** Exit code when some lines were invalid (the others were published). */
    public static final int INVALID_LINES = 1;
    /** Exit code when a file could not be read (the other files were published). */
    public static final int UNREADABLE = 2;
    /** Exit code when some valid events were not delivered within the delivery timeout. */
    public static final int NOT_DELIVERED = 3;

    private FilePublisher() {}

    /**
     * Publishes the valid events of {@code files} to {@code topic} keyed by {@code key}, retrying each
     * for {@link Publisher#DEFAULT_DELIVERY_TIMEOUT}; with a {@code null} bootstrap only validates.
     * Returns {@link #OK}, {@link #INVALID_LINES}, {@link #UNREADABLE} or {@link #NOT_DELIVERED}.
     */
    public static <T> int publish(
            List<Path> files,
            Topic<String, T> topic,
            Class<T> type,
            Function<T, String> key,
            String bootstrap,
            PrintWriter out,
            PrintWriter err) {
        return publish(
                files,
                topic,
                type,
                key,
                (event, bytes) -> bytes,
                event -> {},
                bootstrap,
                Publisher.DEFAULT_DELIVERY_TIMEOUT,
                out,
                err);
    }

    /**
     * As {@link #publish(List, Topic, Class, Function, String, PrintWriter, PrintWriter)}, publishing
     * {@code rewrite}'s bytes for each valid line (given its event and the line's bytes), showing
     * {@code published} every event sent, and retrying each for {@code deliveryTimeout}. The exit code
     * is the worst outcome: not delivered, then unreadable, then invalid.
     */
    public static <T> int publish(
            List<Path> files,
            Topic<String, T> topic,
            Class<T> type,
            Function<T, String> key,
            BiFunction<T, byte[], byte[]> rewrite,
            Consumer<T> published,
            String bootstrap,
            Duration deliveryTimeout,
            PrintWriter out,
            PrintWriter err) {
        int invalid = 0;
        int sent = 0;
        boolean unreadable = false;
        List<Publisher.Undelivered> undelivered = List.of();
        try (Publisher publisher = bootstrap == null ? null : new Publisher(bootstrap, deliveryTimeout)) {
            for (Path file : files) {
                List<EventFile.Line<T>> lines;
                try {
                    if (!Files.isRegularFile(file)) {
                        throw new NoSuchFileException(file.toString(), null, "no such file");
                    }
                    lines = EventFile.read(file, type);
                } catch (IOException e) {
                    // The other files are still published: one unreadable file must not drop what was sent.
                    err.println(file + ": cannot read: " + e.getMessage());
                    unreadable = true;
                    continue;
                }
                for (EventFile.Line<T> line : lines) {
                    if (!line.valid()) {
                        err.println(file + ":" + line.line() + ": " + line.error());
                        invalid++;
                        continue;
                    }
                    if (publisher != null) {
                        publisher.sendBytes(
                                topic,
                                key.apply(line.event()),
                                rewrite.apply(line.event(), line.bytes()),
                                file + ":" + line.line());
                        published.accept(line.event());
                    }
                    sent++;
                }
            }
            if (publisher != null) {
                undelivered = publisher.awaitDelivery();
                undelivered.forEach(err::println);
            }
        }
        String noun = topic.type().recordType().getSimpleName() + "(s)";
        out.println((bootstrap == null
                        ? "Valid: " + sent + " " + noun + "; invalid: " + invalid + " line(s)"
                        : "Published: " + (sent - undelivered.size()) + " " + noun + " to " + topic.name()
                                + "; invalid: " + invalid + " line(s); not delivered: " + undelivered.size()
                                + (undelivered.isEmpty() ? "" : " within " + deliveryTimeout.toSeconds() + " s"))
                + (unreadable ? "; some files could not be read." : "."));
        if (!undelivered.isEmpty()) {
            return NOT_DELIVERED;
        }
        if (unreadable) {
            return UNREADABLE;
        }
        return invalid == 0 ? OK : INVALID_LINES;
    }
}
