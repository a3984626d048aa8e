package io.assay.invoker.cache;

import io.assay.contracts.ModelResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The answers already paid for: by request id, and by content key for requests whose answer is
 * deterministic (see {@link CacheKeys}). The durable log is the compacted topic {@code assay.answers}:
 * an answer is written to it <em>before</em> its response is published, so an answer the provider gave
 * is never bought twice: not after a redelivery, not after a crash, not by another replica. What each
 * request id and content key stands at is in the {@link AnswerIndex} on disk, rebuilt from the log at
 * every start before any prompt is answered.
 *
 * <p>Failures are not stored: a failed request is called again when it is re-issued.
 *
 * <p>Memory: the heap holds only answers stored here whose response is not published yet (in flight,
 * or read back for a redelivered request) and the content cache's bounded part ({@link ContentCache});
 * it does not grow with the answers ever given. A request stored by another process (an earlier start,
 * another replica) and not published is answered from the log ({@link AnswerReadBack}).
 *
 * <p>Plain Java; the durable log is behind {@link AnswerLog} and {@link AnswerReadBack}.
 *
 * <p>The order of storing, publishing and acknowledging, and what a crash between two steps costs:
 * docs/delivery.md.
 */
public final class AnswerStore implements AutoCloseable {
    /** Answers known here whose response is not yet marked published, by request id. */
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    private final AnswerLog log;
    private final AnswerReadBack readBack;
    private final AnswerIndex index;
    private final ContentCache byContent;
    private final CountDownLatch loaded = new CountDownLatch(1);

    /** Answers a content cache keeps in heap unless configured ({@code assay.invoker.cache.max-entries}). */
    public static final int DEFAULT_CACHE_ENTRIES = 10_000;

    /**
     * @param log where answers are written durably
     * @param readBack where an answer is read back from the log
     * @param index where each request id and content key stands (closed with the store)
     * @param cacheEntries answers the content cache keeps in heap
     */
    public AnswerStore(AnswerLog log, AnswerReadBack readBack, AnswerIndex index, int cacheEntries) {
        this.log = log;
        this.readBack = readBack;
        this.index = index;
        this.byContent = new ContentCache(cacheEntries, index, readBack);
    }

    /** A store with nothing to load and no durable log (tests, and when durability is not wanted). */
    public static AnswerStore inMemory() {
        AnswerStore store =
                new AnswerStore(AnswerLog.NONE, AnswerReadBack.NONE, AnswerIndex.inMemory(), DEFAULT_CACHE_ENTRIES);
        store.markLoaded();
        return store;
    }

    /**
     * Notes a record of the durable log (read back at start, then followed: another replica's too):
     * its request's answer lies at {@code location}, or its response is published; a cacheable answer's
     * content key is located there too.
     *
     * @param requestId the record's key
     * @param cacheKey its content key, or {@code null}
     * @param wasPublished whether it is marked published
     * @param location where it lies ({@link AnswerIndex#location(int, long)})
     */
    public void logged(String requestId, String cacheKey, boolean wasPublished, long location) {
        if (cacheKey != null) {
            byContent.locate(cacheKey, location);
        }
        if (wasPublished) {
            index.published(requestId);
        } else {
            index.stored(requestId, location);
        }
    }

    /** Forgets a request's answer (a tombstone in the log). */
    public void forget(String requestId) {
        pending.remove(requestId);
        index.forget(requestId);
    }

    /**
     * Notes that the response to a stored answer is published; a later redelivery of the request
     * then needs no second copy. Written to the log without waiting: if the note is lost, the
     * answer is merely published again (the same bytes, which every consumer deduplicates).
     */
    public void markPublished(ModelResponse response) {
        if (response.failed()) {
            return;
        }
        Pending stored = pending.remove(response.requestId());
        if (index.published(response.requestId())) {
            log.published(stored == null ? null : stored.cacheKey(), response);
        }
    }

    /** Whether the response to this request is known to be published already. */
    public boolean isPublished(String requestId) {
        return index.isPublished(requestId);
    }

    /**
     * Records a new answer durably, then here.
     *
     * @throws RuntimeException when the durable log cannot be written (the prompt is then not acknowledged)
     */
    public void record(String cacheKey, ModelResponse response) {
        Written at = log.append(cacheKey, response);
        pending.put(response.requestId(), new Pending(cacheKey, response));
        if (at != Written.NOWHERE) {
            long location = AnswerIndex.location(at.partition(), at.offset());
            index.stored(response.requestId(), location);
            if (cacheKey != null) {
                byContent.locate(cacheKey, location);
            }
        }
        if (cacheKey != null && !response.cached()) {
            byContent.put(cacheKey, response);
        }
    }

    /**
     * The stored answer to this request while its response is not known to be published: from heap when
     * stored here, else read back from the log.
     *
     * @return empty when the request has no stored answer (or its record cannot be read as one: it is
     *     then paid again)
     * @throws IllegalStateException when the answer is stored but cannot be read back now (the prompt is
     *     then not acknowledged, so nothing is paid twice)
     */
    public Optional<ModelResponse> forRequest(String requestId) {
        Pending stored = pending.get(requestId);
        if (stored != null) {
            return Optional.of(stored.response());
        }
        OptionalLong at = index.storedAt(requestId);
        if (at.isEmpty()) {
            return Optional.empty();
        }
        AnswerReadBack.Logged read = readBack.read(at.getAsLong())
                .orElseThrow(() -> new IllegalStateException("the stored answer to request " + requestId
                        + " is no longer at partition " + AnswerIndex.partition(at.getAsLong()) + " offset "
                        + AnswerIndex.offset(at.getAsLong())
                        + " of assay.answers: a later record of it is not read yet"));
        if (!requestId.equals(read.requestId())
                || read.response() == null
                || read.response().failed()) {
            return Optional.empty();
        }
        pending.put(requestId, new Pending(read.cacheKey(), read.response()));
        return Optional.of(read.response());
    }

    /** A stored answer to an identical request. */
    public Optional<ModelResponse> forContent(String cacheKey) {
        return cacheKey == null ? Optional.empty() : byContent.get(cacheKey);
    }

    /** The content cache (its size and read-backs are metered). */
    public ContentCache contentCache() {
        return byContent;
    }

    /** The answers held in heap because their response is not marked published yet. */
    public int pending() {
        return pending.size();
    }

    /** Marks the durable log as read up to where it was at start. */
    public void markLoaded() {
        loaded.countDown();
    }

    /** Whether the durable log has been read back. */
    public boolean loaded() {
        return loaded.getCount() == 0;
    }

    /**
     * Waits until the durable log has been read back.
     *
     * @return whether it was, within {@code timeout}
     * @throws InterruptedException when the service shuts down meanwhile
     */
    public boolean awaitLoaded(Duration timeout) throws InterruptedException {
        return loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** About how many requests have stored answers, published or not (the index's estimate). */
    public long size() {
        return index.requests();
    }

    /** The index's files on disk now, in bytes. */
    public long diskBytes() {
        return index.diskBytes();
    }

    /** Closes the index (and removes its files). */
    @Override
    public void close() {
        index.close();
    }

    private record Pending(String cacheKey, ModelResponse response) {}

    /** Where answers are written durably. */
    @FunctionalInterface
    public interface AnswerLog {
        /** Keeps nothing. */
        AnswerLog NONE = (key, response) -> Written.NOWHERE;

        /**
         * Writes an answer and returns once it is durable.
         *
         * @param cacheKey the content key, or {@code null} when the answer is not cacheable
         * @param response the successful response
         * @return where it was written, so the content cache can read it back once evicted
         */
        Written append(String cacheKey, ModelResponse response);

        /**
         * Notes, without waiting, that the answer's response is published.
         *
         * @param cacheKey the content key, or {@code null} when the answer is not cacheable
         * @param response the successful response
         */
        default void published(String cacheKey, ModelResponse response) {}
    }

    /**
     * Where the log wrote an answer.
     *
     * @param partition its partition of {@code assay.answers}
     * @param offset its offset there
     */
    public record Written(int partition, long offset) {
        /** A log that keeps nothing wrote it nowhere. */
        public static final Written NOWHERE = new Written(-1, -1);
    }
}
