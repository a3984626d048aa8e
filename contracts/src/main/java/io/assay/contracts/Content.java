package io.assay.contracts;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The content of a chat message, as in the OpenAI chat format: either a plain string or a list
 * of parts ({@code text}, {@code image_url}). It is written back in the shape it was read, so a
 * multimodal item passes through every stage unchanged.
 *
 * @param text the content when it is a plain string, else {@code null}
 * @param parts the content when it is a list of parts, else {@code null}
 */
@JsonSerialize(using = Content.Writer.class)
@JsonDeserialize(using = Content.Reader.class)
public record Content(String text, List<ContentPart> parts) {

    /** Plain-string content. */
    public static Content of(String text) {
        return new Content(text, null);
    }

    /** Multi-part content. */
    public static Content of(List<ContentPart> parts) {
        return new Content(null, List.copyOf(parts));
    }

    /** The text of this content: the string itself, or its text parts joined by newlines. */
    public String asText() {
        if (text != null) {
            return text;
        }
        return parts.stream()
                .filter(p -> ContentPart.TEXT.equals(p.type()))
                .map(ContentPart::text)
                .collect(Collectors.joining("\n"));
    }

    /** Writes a string or an array, mirroring the input shape. */
    static final class Writer extends JsonSerializer<Content> {
        @Override
        public void serialize(Content value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            if (value.text() != null) {
                gen.writeString(value.text());
            } else {
                serializers.defaultSerializeValue(value.parts(), gen);
            }
        }
    }

    /** Reads a string or an array of parts. */
    static final class Reader extends JsonDeserializer<Content> {
        private static final TypeReference<List<ContentPart>> PARTS = new TypeReference<>() {};

        @Override
        public Content deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                return Content.of(p.getText());
            }
            if (p.currentToken() == JsonToken.START_ARRAY) {
                List<ContentPart> parts =
                        ctxt.readValue(p, ctxt.getTypeFactory().constructType(PARTS));
                return Content.of(parts);
            }
            return (Content) ctxt.handleUnexpectedToken(Content.class, p);
        }
    }
}
