package io.assay.contracts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

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

    /** Hash of arbitrary parts, for content fingerprints. */
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
