package io.assay.cli.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assay.contracts.EventType;
import io.assay.contracts.Ids;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON Lines file of events, each line validated against its event type's schema. Lines are split
 * on bytes and decoded one by one, so a line that is not UTF-8 is refused on its own (by number) and
 * the lines around it still count. A line over {@link EventType#MAX_EVENT_BYTES} is refused as the services
 * would refuse it (they dead-letter it), before it is published. A judgment line without {@code judgmentId} gets
 * {@link Ids#importedJudgmentId} (its content's hash).
 */
public final class EventFile {
    private EventFile() {}

    /**
     * One non-blank line of the file: a valid event (with its original bytes) or the reason it is not.
     *
     * @param line 1-based line number
     * @param event the event, {@code null} when invalid
     * @param bytes the line's bytes as published
     * @param error why the line is invalid, {@code null} when valid
     * @param <T> the event's record type
     */
    public record Line<T>(int line, T event, byte[] bytes, String error) {
        /** Whether the line holds a valid event. */
        public boolean valid() {
            return error == null;
        }
    }

    /** Reads and validates every non-blank line as an event of {@code type}. */
    public static <T> List<Line<T>> read(Path file, Class<T> type) throws IOException {
        EventType eventType = EventType.of(type);
        List<Line<T>> lines = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            int number = 0;
            boolean more = true;
            while (more) {
                raw.reset();
                int b;
                while ((b = in.read()) != -1 && b != '\n') {
                    raw.write(b);
                }
                more = b != -1;
                if (!more && raw.size() == 0) {
                    break;
                }
                number++;
                Line<T> line = decode(number, raw.toByteArray(), eventType, type);
                if (line != null) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    /** The line's event or error; {@code null} for a blank line. */
    private static <T> Line<T> decode(int number, byte[] raw, EventType eventType, Class<T> type) {
        ByteBuffer in = ByteBuffer.wrap(raw);
        CharBuffer out = CharBuffer.allocate(raw.length);
        CoderResult result = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(in, out, true);
        if (result.isError()) {
            return new Line<>(number, null, raw, "not UTF-8: invalid byte sequence at byte " + (in.position() + 1));
        }
        String text = out.flip().toString();
        return text.isBlank() ? null : parse(number, text, eventType, type);
    }

    static <T> Line<T> parse(int number, String text, EventType eventType, Class<T> type) {
        byte[] bytes = text.strip().getBytes(StandardCharsets.UTF_8);
        try {
            JsonNode tree = Json.tree(bytes);
            if (!tree.isObject()) {
                return new Line<>(number, null, bytes, "not a JSON object");
            }
            if (eventType == EventType.JUDGMENT && !tree.hasNonNull("judgmentId")) {
                // A judgment made elsewhere rarely has an id of ours: derive one from its content.
                ((ObjectNode) tree).put("judgmentId", Ids.importedJudgmentId(tree));
                bytes = Json.writeBytes(tree);
            }
            if (bytes.length > EventType.MAX_EVENT_BYTES) {
                // every stage refuses it by this limit and dead-letters it: published, it would only be lost there
                return new Line<>(
                        number,
                        null,
                        bytes,
                        "too large: " + bytes.length + " bytes; an event is at most " + EventType.MAX_EVENT_BYTES
                                + " bytes (EventType.MAX_EVENT_BYTES), which the services refuse beyond");
            }
            List<String> violations = eventType.violations(tree);
            if (!violations.isEmpty()) {
                return new Line<>(number, null, bytes, String.join("; ", violations));
            }
            return new Line<>(number, Json.bind(tree, type), bytes, null);
        } catch (InvalidEventException e) {
            return new Line<>(number, null, bytes, e.getMessage());
        }
    }
}
