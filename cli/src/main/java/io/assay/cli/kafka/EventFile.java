package io.assay.cli.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** A JSON Lines file of events, each line validated against its event type's schema. */
public final class EventFile {
    private EventFile() {
    }

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
        return read(file, type, UnaryOperator.identity());
    }

    /**
     * Reads every non-blank line, lets {@code normalize} fill in what the schema leaves optional but the
     * record needs (an object node may be changed in place), then validates it as an event of
     * {@code type}; a valid line is published as normalised.
     */
    public static <T> List<Line<T>> read(Path file, Class<T> type, UnaryOperator<JsonNode> normalize)
            throws IOException {
        EventType eventType = EventType.of(type);
        List<Line<T>> lines = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int number = 0;
            while ((text = reader.readLine()) != null) {
                number++;
                if (!text.isBlank()) {
                    lines.add(parse(number, normalized(text, normalize), eventType, type));
                }
            }
        }
        return lines;
    }

    private static String normalized(String text, UnaryOperator<JsonNode> normalize) {
        try {
            JsonNode tree = Json.tree(text.strip().getBytes(StandardCharsets.UTF_8));
            JsonNode done = normalize.apply(tree);
            return done == tree && normalize == UnaryOperator.<JsonNode>identity() ? text : Json.write(done);
        } catch (InvalidEventException e) {
            // Not JSON: parse reports it with the line number.
            return text;
        }
    }

    static <T> Line<T> parse(int number, String text, EventType eventType, Class<T> type) {
        byte[] bytes = text.strip().getBytes(StandardCharsets.UTF_8);
        try {
            JsonNode tree = Json.tree(bytes);
            if (!tree.isObject()) {
                return new Line<>(number, null, bytes, "not a JSON object");
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
