package io.assay.cli.kafka;

import io.assay.contracts.Topic;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Validates JSON Lines files of events and publishes the valid lines, reporting each invalid one as
 * {@code FILE:LINE: reason}. Valid lines are published as written, so fields this version does not
 * know survive.
 */
public final class FilePublisher {
    /** Exit code when every line was published. */
    public static final int OK = 0;
    /** Exit code when some lines were invalid (the others were published). */
    public static final int INVALID_LINES = 1;
    /** Exit code when a file could not be read. */
    public static final int UNREADABLE = 2;

    private FilePublisher() {}

    /**
     * Publishes the valid events of {@code files} to {@code topic} keyed by {@code key}; with a
     * {@code null} bootstrap only validates. Returns {@link #OK}, {@link #INVALID_LINES} or
     * {@link #UNREADABLE}.
     */
    public static <T> int publish(
            List<Path> files,
            Topic<String, T> topic,
            Class<T> type,
            Function<T, String> key,
            String bootstrap,
            PrintWriter out,
            PrintWriter err) {
        return publish(files, topic, type, key, (event, bytes) -> bytes, event -> {}, bootstrap, out, err);
    }

    /**
     * As {@link #publish(List, Topic, Class, Function, String, PrintWriter, PrintWriter)}, publishing
     * {@code rewrite}'s bytes for each valid line (given its event and the line's bytes), and showing
     * {@code published} every event published.
     */
    public static <T> int publish(
            List<Path> files,
            Topic<String, T> topic,
            Class<T> type,
            Function<T, String> key,
            BiFunction<T, byte[], byte[]> rewrite,
            Consumer<T> published,
            String bootstrap,
            PrintWriter out,
            PrintWriter err) {
        int invalid = 0;
        int valid = 0;
        try (Publisher publisher = bootstrap == null ? null : new Publisher(bootstrap)) {
            for (Path file : files) {
                List<EventFile.Line<T>> lines;
                try {
                    if (!Files.isRegularFile(file)) {
                        throw new NoSuchFileException(file.toString(), null, "no such file");
                    }
                    lines = EventFile.read(file, type);
                } catch (IOException e) {
                    err.println(file + ": cannot read: " + e.getMessage());
                    return UNREADABLE;
                }
                for (EventFile.Line<T> line : lines) {
                    if (!line.valid()) {
                        err.println(file + ":" + line.line() + ": " + line.error());
                        invalid++;
                        continue;
                    }
                    if (publisher != null) {
                        publisher.sendBytes(topic, key.apply(line.event()), rewrite.apply(line.event(), line.bytes()));
                        published.accept(line.event());
                    }
                    valid++;
                }
            }
            if (publisher != null) {
                publisher.flush();
            }
        }
        out.println((bootstrap == null ? "Valid: " : "Published: ") + valid + " "
                + topic.type().recordType().getSimpleName() + "(s) to " + topic.name() + "; invalid: " + invalid
                + " line(s).");
        return invalid == 0 ? OK : INVALID_LINES;
    }
}
