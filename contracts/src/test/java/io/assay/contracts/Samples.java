package io.assay.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The contract's sample events, valid and invalid, published in this module's test-jar so that every
 * consumer's tests replay them through its own adapter: a schema change that a service cannot read
 * fails that service's build, not a user's pipeline. A sample's file name starts with its schema
 * ({@code judgment.pairwise.json} is a {@link EventType#JUDGMENT}); invalid ones are under
 * {@code samples/invalid/}.
 */
public final class Samples {
    private static final String ROOT = "/samples";

    private Samples() {}

    /** Every sample, valid ones first, each group in name order. */
    public static List<Sample> all() {
        List<Sample> all = new ArrayList<>(list(ROOT, true));
        all.addAll(list(ROOT + "/invalid", false));
        return all;
    }

    /** The valid samples of {@code type}. */
    public static List<Sample> valid(EventType type) {
        return all().stream().filter(s -> s.valid() && s.type() == type).toList();
    }

    /** The invalid samples of {@code type}: each must be refused with a reason. */
    public static List<Sample> invalid(EventType type) {
        return all().stream().filter(s -> !s.valid() && s.type() == type).toList();
    }

    /**
     * One sample event.
     *
     * @param name the file name, e.g. {@code judgment.pairwise.json}
     * @param type its event type
     * @param valid whether it is a valid event
     * @param bytes the JSON bytes as a producer would send them
     */
    public record Sample(String name, EventType type, boolean valid, byte[] bytes) {
        /** The bound record (valid samples only). */
        public <T> T parse(Class<T> recordType) {
            return type.parse(bytes, recordType);
        }

        /**
         * The Kafka key a producer would give it: {@code benchmark/itemId} for per-item events,
         * {@code benchmark/view} for snapshots, the id for specs; read from the JSON, so an invalid
         * sample has one too where its fields allow (else {@code invalid/<name>}).
         */
        public String key() {
            JsonNode tree;
            try {
                tree = Json.tree(bytes);
            } catch (InvalidEventException e) {
                return "invalid/" + name;
            }
            String benchmark = tree.path("benchmark").asText(null);
            return switch (type) {
                case MODEL_SPEC -> tree.path("modelId").asText("invalid/" + name);
                case BENCHMARK_SPEC -> benchmark == null ? "invalid/" + name : benchmark;
                case LEADERBOARD_SNAPSHOT ->
                    Keys.leaderboard(benchmark, tree.path("view").asText());
                default ->
                    benchmark == null || !tree.hasNonNull("itemId")
                            ? "invalid/" + name
                            : Keys.item(benchmark, tree.path("itemId").asText());
            };
        }

        /** The sample's text. */
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static List<Sample> list(String dir, boolean valid) {
        try {
            URI uri = Samples.class.getResource(dir).toURI();
            if (!"jar".equals(uri.getScheme())) {
                return read(Path.of(uri), valid);
            }
            // A consumer reads the samples from this module's test-jar.
            FileSystem jar;
            boolean opened = false;
            try {
                jar = FileSystems.newFileSystem(uri, Map.of());
                opened = true;
            } catch (FileSystemAlreadyExistsException e) {
                jar = FileSystems.getFileSystem(uri);
            }
            try {
                return read(jar.getPath(dir), valid);
            } finally {
                if (opened) {
                    jar.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Sample> read(Path dir, boolean valid) throws IOException {
        List<Sample> samples = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file :
                    files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                String name = file.getFileName().toString();
                samples.add(new Sample(name, typeOf(name), valid, Files.readAllBytes(file)));
            }
        }
        return samples;
    }

    private static EventType typeOf(String name) {
        String prefix = name.split("\\.")[0];
        return Arrays.stream(EventType.values())
                .filter(t -> t.schemaResource().equals("/schemas/" + prefix + ".schema.json"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no event type for sample " + name));
    }
}
