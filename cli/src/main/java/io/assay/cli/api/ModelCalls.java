package io.assay.cli.api;

import io.assay.contracts.LeaderboardSnapshot.LastError;
import java.util.Locale;
import java.util.Map;

/**
 * One model of the aggregator's {@code GET /api/models}: how its evaluation calls ended.
 *
 * @param modelId the model
 * @param provider its provider, {@code null} when retired
 * @param simulated whether its answers are simulated
 * @param retired seen in calls but no longer registered
 * @param answered calls answered on every benchmark
 * @param failed calls failed on every benchmark
 * @param failures failed calls by {@code ModelError.kind}
 * @param lastError its most recent failure, {@code null} when none
 * @param benchmarks the same per benchmark
 */
public record ModelCalls(
        String modelId,
        String provider,
        boolean simulated,
        boolean retired,
        long answered,
        long failed,
        Map<String, Long> failures,
        LastError lastError,
        Map<String, Tally> benchmarks) {

    /** Failures as {@code kind count, ...}, kinds sorted. */
    public String failuresByKind() {
        if (failures == null || failures.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        new java.util.TreeMap<>(failures)
                .forEach((k, n) -> out.append(out.length() == 0 ? "" : ", ")
                        .append(k)
                        .append(' ')
                        .append(n));
        return out.toString();
    }

    /** One line: answered, failed by kind, the last error (its message cut to {@code width}). */
    public String summary(int width) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%d answered, %d failed", answered, failed));
        if (failed > 0) {
            out.append(" (").append(failuresByKind()).append(')');
        }
        if (lastError != null) {
            out.append(" · last error ")
                    .append(lastError.kind())
                    .append(lastError.at() == null ? "" : " at " + lastError.at())
                    .append(": ")
                    .append(cut(lastError.message(), width));
        }
        return out.toString();
    }

    /** {@code text} on one line, at most {@code width} characters. */
    public static String cut(String text, int width) {
        if (text == null) {
            return "-";
        }
        String t = text.replaceAll("\\s+", " ").trim();
        return t.length() <= width ? t : t.substring(0, width - 1) + "…";
    }

    /**
     * One benchmark's calls.
     *
     * @param answered calls answered
     * @param failed calls failed
     * @param failures failed calls by kind
     * @param lastError the most recent failure
     */
    public record Tally(long answered, long failed, Map<String, Long> failures, LastError lastError) {}
}
