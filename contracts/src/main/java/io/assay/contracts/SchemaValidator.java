package io.assay.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Validates events against the JSON Schemas (draft 2020-12) under {@code /schemas}. Schemas refer
 * to each other by their {@code $id} under {@value #BASE}, which resolves to the classpath.
 */
public final class SchemaValidator {
    /** The {@code $id} prefix of every Assay schema. */
    public static final String BASE = "https://assay.io/schemas/";

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(BASE, "classpath:schemas/")));
    private static final SchemaValidatorsConfig CONFIG =
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    private static final Map<EventType, JsonSchema> SCHEMAS = new EnumMap<>(EventType.class);

    static {
        for (EventType type : EventType.values()) {
            String name = type.schemaResource().substring("/schemas/".length());
            SCHEMAS.put(type, FACTORY.getSchema(SchemaLocation.of(BASE + name), CONFIG));
        }
    }

    private SchemaValidator() {}

    /**
     * The violations of {@code event} against the schema of {@code type}, empty when valid. Each
     * starts with the JSON Pointer of the offending value, e.g. {@code /publishedAt: ...}.
     */
    public static List<String> validate(EventType type, JsonNode event) {
        return SCHEMAS.get(type).validate(event).stream()
                .map(ValidationMessage::getMessage)
                .map(m -> m.startsWith(":") ? "(root)" + m : m)
                .sorted()
                .toList();
    }
}
