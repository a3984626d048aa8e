package io.assay.invoker.cache;

import io.assay.contracts.ModelResponse;
import java.util.Optional;

/**
 * Reads one record of the durable log ({@code assay.answers}) back from where the {@link AnswerIndex}
 * says it lies: the answer of a request stored but not yet published, or of a content key whose answer
 * left the content cache's heap.
 */
@FunctionalInterface
public interface AnswerReadBack {
    /** Nothing to read back from. */
    AnswerReadBack NONE = location -> Optional.empty();

    /**
     * The record at {@code location} ({@link AnswerIndex#location(int, long)}).
     *
     * @return empty when no record is there any more: compaction removed it, which it does only once a
     *     later record of the same request id is in the log (its published mark, or a tombstone)
     * @throws IllegalStateException when the log cannot be read now
     */
    Optional<Logged> read(long location);

    /**
     * A record read back.
     *
     * @param requestId its key
     * @param cacheKey its content key, {@code null} when it has none
     * @param response its answer, {@code null} when the value cannot be read as one
     */
    record Logged(String requestId, String cacheKey, ModelResponse response) {}
}
