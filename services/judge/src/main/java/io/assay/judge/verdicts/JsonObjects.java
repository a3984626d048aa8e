package io.assay.judge.verdicts;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds JSON objects in a judge's free text: inside {@code ```json} fences first, then anywhere, with
 * common malformations tolerated (single quotes, unquoted keys, trailing commas, comments, raw newlines
 * in strings, a missing final brace).
 */
final class JsonObjects {
    private static final Pattern FENCE = Pattern.compile("```[a-zA-Z]*\\s*\\n?(.*?)```", Pattern.DOTALL);
    private static final int MAX_CHARS = 200_000;
    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
            .enable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
            .build();

    private JsonObjects() {}

    /** The objects found, fenced ones first, each in order of appearance. */
    static List<JsonNode> find(String text) {
        List<JsonNode> found = new ArrayList<>();
        if (text == null) {
            return found;
        }
        String s = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
        Matcher fence = FENCE.matcher(s);
        while (fence.find()) {
            scan(fence.group(1), found);
        }
        scan(s, found);
        return found;
    }

    /** Every balanced {...} at top level (braces inside strings ignored); an unclosed one is closed. */
    private static void scan(String s, List<JsonNode> found) {
        int i = 0;
        while (i < s.length()) {
            int start = s.indexOf('{', i);
            if (start < 0) {
                return;
            }
            Braces braces = Braces.scan(s, start);
            int end = braces.end();
            String candidate = end < 0 ? s.substring(start) + braces.closing() : s.substring(start, end + 1);
            JsonNode node = parse(candidate);
            if (node != null && node.isObject()) {
                found.add(node);
                i = end < 0 ? s.length() : end + 1;
            } else {
                i = start + 1;
            }
        }
    }

    /**
     * One pass over an object from its opening brace, skipping quoted strings.
     *
     * @param end the index of the matching closing brace, -1 when the text ends first
     * @param depth the braces still open at the end of the text
     * @param quote the quote of a string still open at the end of the text, 0 for none
     */
    private record Braces(int end, int depth, char quote) {
        static Braces scan(String s, int start) {
            int depth = 0;
            char quote = 0;
            for (int i = start; i < s.length(); i++) {
                char c = s.charAt(i);
                if (quote != 0) {
                    if (c == '\\') {
                        i++;
                    } else if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                    if (depth == 0) {
                        return new Braces(i, 0, (char) 0);
                    }
                }
            }
            return new Braces(-1, depth, quote);
        }

        /** What closes a truncated object: an open string's quote, then the open braces. */
        String closing() {
            return (quote != 0 ? String.valueOf(quote) : "") + "}".repeat(Math.max(0, depth));
        }
    }

    private static JsonNode parse(String candidate) {
        try {
            return LENIENT.readTree(candidate);
        } catch (Exception e) {
            // Not JSON, even leniently: the caller tries the next candidate.
            return null;
        }
    }
}
