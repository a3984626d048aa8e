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

/** A JSON Lines file of events, each line validated against its event type's schema. */
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
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int number = 0;
            while ((text = reader.readLine()) != null) {
                number++;
                if (!text.isBlank()) {
                    lines.add(parse(number, text, eventType, type));
                }
            }
        }
        return lines;
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
