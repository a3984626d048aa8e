package io.assay.cli.kafka;

import io.assay.cli.console.Progress;
import io.assay.contracts.Json;
import io.assay.contracts.Topic;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        Result result =
                run(files, topic, type, key, rewrite, published, bootstrap, deliveryTimeout, err, Progress.none());
        out.println(result.text());
        return result.exitCode();
    }

    /**
     * Validates and publishes as {@link #publish(List, Topic, Class, Function, BiFunction, Consumer, String,
     * Duration, PrintWriter, PrintWriter)} does, counting the lines read on {@code progress} (whose total
     * is set to the files' line count) and returning the outcome instead of printing it.
     */
    public static <T> Result run(
            List<Path> files,
            Topic<String, T> topic,
            Class<T> type,
            Function<T, String> key,
            BiFunction<T, byte[], byte[]> rewrite,
            Consumer<T> published,
            String bootstrap,
            Duration deliveryTimeout,
            PrintWriter err,
            Progress progress) {
        progress.total(lineCount(files));
        int invalid = 0;
        int sent = 0;
        long read = 0;
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
                    progress.message(err, file + ": cannot read: " + e.getMessage());
                    unreadable = true;
                    continue;
                }
                for (EventFile.Line<T> line : lines) {
                    progress.update(++read);
                    if (!line.valid()) {
                        progress.message(err, file + ":" + line.line() + ": " + line.error());
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
                undelivered.forEach(u -> progress.message(err, u.toString()));
            }
        }
        progress.finish();
        return new Result(
                topic.type().recordType().getSimpleName(),
                topic.name(),
                bootstrap == null,
                sent - undelivered.size(),
                invalid,
                undelivered.size(),
                unreadable,
                deliveryTimeout);
    }

    /** The lines of the readable files (newlines, plus an unterminated last line); unreadable ones count 0. */
    private static long lineCount(List<Path> files) {
        long lines = 0;
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                int last = '\n';
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            lines++;
                        }
                    }
                    last = buffer[n - 1];
                }
                if (last != '\n') {
                    lines++;
                }
            } catch (IOException e) {
                // Reported when the file is read.
            }
        }
        return lines;
    }

    /**
     * What a run did.
     *
     * @param noun the events' record type, e.g. {@code BenchmarkItem}
     * @param topic the topic published to
     * @param validateOnly nothing was published (dry run)
     * @param published events acknowledged by the broker (validated, with {@code validateOnly})
     * @param invalid lines refused
     * @param notDelivered valid events not acknowledged within the delivery timeout
     * @param unreadable some file could not be read
     * @param deliveryTimeout the delivery timeout
     */
    public record Result(
            String noun,
            String topic,
            boolean validateOnly,
            int published,
            int invalid,
            int notDelivered,
            boolean unreadable,
            Duration deliveryTimeout) {
        /** {@link #OK}, {@link #INVALID_LINES}, {@link #UNREADABLE} or {@link #NOT_DELIVERED}: the worst outcome. */
        public int exitCode() {
            if (notDelivered > 0) {
                return NOT_DELIVERED;
            }
            if (unreadable) {
                return UNREADABLE;
            }
            return invalid == 0 ? OK : INVALID_LINES;
        }

        /** The summary line. */
        public String text() {
            String n = noun + "(s)";
            return (validateOnly
                            ? "Valid: " + published + " " + n + "; invalid: " + invalid + " line(s)"
                            : "Published: " + published + " " + n + " to " + topic + "; invalid: " + invalid
                                    + " line(s); not delivered: " + notDelivered
                                    + (notDelivered == 0 ? "" : " within " + deliveryTimeout.toSeconds() + " s"))
                    + (unreadable ? "; some files could not be read." : ".");
        }

        /** Prints the summary line, or with {@code json} the summary as one JSON object; returns {@link #exitCode()}. */
        public int print(PrintWriter out, boolean json) {
            out.println(json ? Json.write(json()) : text());
            out.flush();
            return exitCode();
        }

        /** The summary as one JSON object's fields ({@code --json}). */
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("topic", topic);
            m.put("dryRun", validateOnly);
            m.put(validateOnly ? "valid" : "published", published);
            m.put("invalid", invalid);
            m.put("notDelivered", notDelivered);
            m.put("unreadable", unreadable);
            m.put("exitCode", exitCode());
            return m;
        }
    }
}
