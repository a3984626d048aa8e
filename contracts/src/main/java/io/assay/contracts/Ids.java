package io.assay.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deterministic ids, so a redelivered or re-processed event gets the same id and every fold can
 * deduplicate. An id is the first 128 bits of SHA-256 over the parts joined by a unit separator,
 * in hex.
 *
 * <p>What each id makes idempotent, stage by stage: docs/delivery.md.
 */
public final class Ids {
    private static final char SEPARATOR = '\u001f';

    private Ids() {}

    /**
     * The id of a prompt request: hash of (benchmark, itemId, revision, modelId, variant,
     * template version, params).
     */
    public static String requestId(
            String benchmark, String itemId, int revision, String modelId, Variant variant, SamplingParams params) {
        return hash(
                "req",
                benchmark,
                itemId,
                Integer.toString(revision),
                modelId,
                variant.label(),
                variant.formatVersion(),
                Json.canonical(params));
    }

    /** The id of a judgment: hash of (the request ids judged, the judge spec). */
    public static String judgmentId(List<String> requestIds, JudgeSpec judge) {
        String[] parts = new String[requestIds.size() + 2];
        parts[0] = "judgment";
        for (int i = 0; i < requestIds.size(); i++) {
            parts[i + 1] = requestIds.get(i);
        }
        parts[parts.length - 1] = Json.canonical(judge);
        return hash(parts);
    }

    /**
     * Why {@code id} is not a usable id, or empty when it is: an id (benchmark, itemId, modelId, a judge's
     * id, ...) must not hold control characters, format characters (bidi overrides such as U+202E,
     * zero-width spaces and joiners, the byte-order mark) or line and paragraph separators. They are
     * invisible in a terminal or a leaderboard, so two ids that look the same would count apart, and a
     * bidi override can make one id display as another. The one check of every id, applied by
     * {@link EventType#parse} to every id field of every event.
     */
    public static Optional<String> problem(String id) {
        if (id == null) {
            return Optional.empty();
        }
        for (int i = 0; i < id.length(); ) {
            int cp = id.codePointAt(i);
            String what = switch (Character.getType(cp)) {
                case Character.CONTROL -> "a control character";
                case Character.FORMAT -> "an invisible format character (bidi or zero-width)";
                case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> "a line separator";
                case Character.SURROGATE -> "an unpaired surrogate";
                default -> null;
            };
            if (what != null) {
                return Optional.of(String.format("holds %s, U+%04X, at index %d", what, cp, i));
            }
            i += Character.charCount(cp);
        }
        return Optional.empty();
    }

    /**
     * The id of an imported judgment line that carries none: a hash of the line's content with its
     * fields in name order, so re-importing the same file counts nothing twice, and a line changed in
     * any field is a new judgment (the fold keeps the newest: give {@code judgedAt} to say which).
     */
    public static String importedJudgmentId(JsonNode line) {
        return hash("imported-judgment", Json.canonical(Json.mapper().convertValue(line, Map.class)));
    }

    /** Hash of arbitrary parts, for content fingerprints: the first 128 bits of SHA-256, in hex. */
    public static String hash(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            StringBuilder joined = new StringBuilder();
            for (String part : parts) {
                joined.append(part == null ? "" : part).append(SEPARATOR);
            }
            byte[] digest = sha.digest(joined.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
