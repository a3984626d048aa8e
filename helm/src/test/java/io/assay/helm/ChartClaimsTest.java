package io.assay.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.assay.contracts.EventType;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the chart says about the rest of Assay, checked against it. A values file that tells a user
 * to write {@code "credential":} in a ModelSpec, a provider secret the invoker will refuse to read, or
 * a service override that no property of the service answers to renders and lints fine, and fails
 * only in a user's cluster: these tests fail first.
 */
class ChartClaimsTest {
    private static final Path CHART =
            Path.of(System.getProperty("assay.chart", "assay")).toAbsolutePath();
    private static final Path SERVICES = CHART.resolve("../../services").normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** {@code "name":} (a JSON field) or {@code `name`} (a field in prose), on a line naming a record. */
    private static final Pattern FIELD = Pattern.compile("\"([A-Za-z]\\w*)\"\\s*:|`([A-Za-z]\\w*)`");

    @Test
    void fieldsNamedBesideAContractRecordAreFieldsOfItsSchema() {
        // Given every text file of the chart, and the fields each contract record's schema defines
        Map<String, Set<String>> fields = schemaFields();

        // When every field named on a line that names a record is looked up in that record's schema
        List<String> claims = new ArrayList<>();
        List<String> wrong = fieldClaims(chartFiles(), fields, claims);

        // Then all exist (and the chart does make such claims, so the check is not vacuous)
        assertThat(claims).as("claims found").isNotEmpty();
        assertThat(wrong)
                .as("fields the chart names that its record's schema lacks")
                .isEmpty();
    }

    @Test
    void aFieldTheSchemaLacksIsCaught() {
        // Given a values comment naming ModelSpec's credential field by the wrong name (the mistake
        // issue 16 found in values.yaml)
        String text = "# A ModelSpec names the variable (`credential`); e.g. \"credentialEnv\":\"ASSAY_KEY_X\"\n";

        // When it is checked
        List<String> wrong = fieldClaims(Map.of(Path.of("values.yaml"), text), schemaFields(), new ArrayList<>());

        // Then exactly the wrong name is reported, with its file, line and record
        assertThat(wrong).containsExactly("values.yaml:1: ModelSpec has no field credential");
    }

    @Test
    void providerSecretsCarryTheInvokersCredentialPrefix() throws IOException {
        // Given the invoker's prefix: a ModelSpec may only name variables that start with it
        String prefix = properties("model-invoker").getProperty("assay.invoker.credential-prefix");
        assertThat(prefix).isNotBlank();

        // Then every provider secret of both values files becomes a variable with that prefix
        for (Path values : valuesFiles()) {
            for (JsonNode secret : YAML.readTree(values.toFile()).path("providerSecrets")) {
                assertThat(secret.path("env").asText())
                        .as(values.getFileName().toString())
                        .startsWith(prefix);
            }
        }
    }

    @Test
    void serviceOverridesNamePropertiesTheServiceDefines() throws IOException {
        // Given each service's configuration overrides in both values files (environment variables in
        // MicroProfile Config's form: non-alphanumerics become '_', upper case)
        for (Path values : valuesFiles()) {
            JsonNode services = YAML.readTree(values.toFile()).path("services");
            for (var service : (Iterable<Map.Entry<String, JsonNode>>) services::fields) {
                Set<String> known = new TreeSet<>();
                properties(service.getKey()).stringPropertyNames().forEach(p -> known.add(envName(p)));

                // Then each one overrides a property the service's application.properties sets
                for (var key : (Iterable<String>) service.getValue().path("config")::fieldNames) {
                    assertThat(known)
                            .as(values.getFileName() + ": services." + service.getKey() + ".config." + key)
                            .contains(key);
                }
            }
        }
    }

    /** Each wrong claim as {@code file:line: Record has no field name}; {@code claims} gets every claim seen. */
    private static List<String> fieldClaims(
            Map<Path, String> files, Map<String, Set<String>> fields, List<String> claims) {
        List<String> wrong = new ArrayList<>();
        files.forEach((file, text) -> {
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                for (var record : fields.entrySet()) {
                    if (!Pattern.compile("\\b" + record.getKey() + "\\b")
                            .matcher(lines[i])
                            .find()) {
                        continue;
                    }
                    Matcher m = FIELD.matcher(lines[i]);
                    while (m.find()) {
                        String field = m.group(1) != null ? m.group(1) : m.group(2);
                        claims.add(record.getKey() + "." + field);
                        if (!record.getValue().contains(field)) {
                            wrong.add(file.getFileName() + ":" + (i + 1) + ": " + record.getKey() + " has no field "
                                    + field);
                        }
                    }
                }
            }
        });
        return wrong;
    }

    /** Every record's title ({@code ModelSpec}, …) with every property name anywhere in its schema. */
    private static Map<String, Set<String>> schemaFields() {
        Set<String> common = new TreeSet<>();
        collectProperties(schema("/schemas/common.schema.json"), common);
        Map<String, Set<String>> fields = new TreeMap<>();
        for (EventType type : EventType.values()) {
            JsonNode schema = schema(type.schemaResource());
            Set<String> names = new TreeSet<>(common);
            collectProperties(schema, names);
            fields.put(schema.path("title").asText(), names);
        }
        return fields;
    }

    private static void collectProperties(JsonNode node, Set<String> into) {
        node.path("properties").fieldNames().forEachRemaining(into::add);
        node.elements().forEachRemaining(child -> collectProperties(child, into));
    }

    private static JsonNode schema(String resource) {
        try (InputStream in = EventType.class.getResourceAsStream(resource)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<Path, String> chartFiles() {
        Map<Path, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(CHART.resolve("templates"))) {
            Stream.concat(walk.toList().stream(), valuesFiles().stream())
                    .filter(Files::isRegularFile)
                    .forEach(p -> files.put(p, read(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static List<Path> valuesFiles() {
        return List.of(CHART.resolve("values.yaml"), CHART.resolve("values-production.yaml"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties properties(String service) {
        Path file = SERVICES.resolve(service).resolve("src/main/resources/application.properties");
        try (Reader reader = Files.newBufferedReader(file)) {
            Properties properties = new Properties();
            properties.load(reader);
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A property's environment-variable name ({@code %prod.a.b-c} → {@code A_B_C}), MicroProfile Config's rule. */
    private static String envName(String property) {
        String name = property.startsWith("%") ? property.substring(property.indexOf('.') + 1) : property;
        return name.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }
}
