package io.assay.cli.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.assay.contracts.BenchmarkItem;
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

/** A JSON Lines file of benchmark items, each line validated against the BenchmarkItem schema. */
public final class ItemFile {
    private ItemFile() {
    }

    /**
     * One non-blank line of the file: a valid item (with its original bytes) or the reason it is not.
     *
     * @param line 1-based line number
     * @param item the item, {@code null} when invalid
     * @param bytes the line's bytes as published
     * @param error why the line is invalid, {@code null} when valid
     */
    public record Line(int line, BenchmarkItem item, byte[] bytes, String error) {
        /** Whether the line holds a valid item. */
        public boolean valid() {
            return error == null;
        }
    }

    /** Reads and validates every non-blank line. */
    public static List<Line> read(Path file) throws IOException {
        List<Line> lines = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int number = 0;
            while ((text = reader.readLine()) != null) {
                number++;
                if (!text.isBlank()) {
                    lines.add(parse(number, text));
                }
            }
        }
        return lines;
    }

    static Line parse(int number, String text) {
        byte[] bytes = text.strip().getBytes(StandardCharsets.UTF_8);
        try {
            JsonNode tree = Json.tree(bytes);
            if (!tree.isObject()) {
                return new Line(number, null, bytes, "not a JSON object");
            }
            List<String> violations = EventType.BENCHMARK_ITEM.violations(tree);
            if (!violations.isEmpty()) {
                return new Line(number, null, bytes, String.join("; ", violations));
            }
            return new Line(number, Json.bind(tree, BenchmarkItem.class), bytes, null);
        } catch (InvalidEventException e) {
            return new Line(number, null, bytes, e.getMessage());
        }
    }
}
