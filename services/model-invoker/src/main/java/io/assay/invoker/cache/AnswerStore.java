package io.assay.invoker.cache;

import io.assay.contracts.ModelResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The answers already paid for: successful responses by request id, and by content key for
 * requests whose answer is deterministic (see {@link CacheKeys}). Filled at start from the durable
 * log (the compacted topic {@code assay.answers}) before any prompt is answered, and written
 * through to it <em>before</em> a response is published, so an answer the provider gave is never
 * bought twice: not after a redelivery, not after a crash, not by another replica.
 *
 * <p>Failures are not stored: a failed request is called again when it is re-issued.
 *
 * <p>Memory: a request whose response is published keeps only its id here (about 100 bytes); the
 * answer itself is on {@code assay.responses} and in the log. Whole answers are held only until
 * they are published, and in the content cache's bounded heap part ({@link ContentCache}).
 *
 * <p>Plain Java; the durable log is behind {@link AnswerLog}.
 *
 * <p>The order of storing, publishing and acknowledging, and what a crash between two steps costs:
 * docs/delivery.md.
 */
public final class AnswerStore {
    /** Answers stored but not yet known to be published (a crash may have come in between). */
    private final Map<String, ModelResponse> byRequest = new ConcurrentHashMap<>();

    private final ContentCache byContent;
    private final Set<String> published = ConcurrentHashMap.newKeySet();
    private final Map<String, String> cacheKeys = new ConcurrentHashMap<>();
    private final AnswerLog log;
    private final CountDownLatch loaded = new CountDownLatch(1);

    /** Answers a content cache keeps in heap unless configured ({@code assay.invoker.cache.max-entries}). */
    public static final int DEFAULT_CACHE_ENTRIES = 10_000;

    /** With the durable log answers are written to, and a content cache that cannot read it back. */
    public AnswerStore(AnswerLog log) {
        this(log, new ContentCache(DEFAULT_CACHE_ENTRIES, ContentCache.ContentLog.NONE));
    }

    /** With the durable log answers are written to, and the content cache answers are kept in. */
    public AnswerStore(AnswerLog log, ContentCache byContent) {
        this.log = log;
        this.byContent = byContent;
    }

    /** An in-memory store with nothing to load (tests, and when durability is not wanted). */
    public static AnswerStore inMemory() {
        AnswerStore store = new AnswerStore(AnswerLog.NONE);
        store.markLoaded();
        return store;
    }

    /** Learns an answer read back from the durable log (or written by another replica). */
    public void learn(String cacheKey, ModelResponse response) {
        learn(cacheKey, response, false);
    }

    /**
     * Learns an answer read back from the durable log, and whether its response is known to be
     * published on {@code assay.responses}.
     */
    public void learn(String cacheKey, ModelResponse response, boolean wasPublished) {
        if (response == null || response.failed()) {
            return;
        }
        if (cacheKey != null && !response.cached()) {
            byContent.put(cacheKey, response);
        }
        if (wasPublished || published.contains(response.requestId())) {
            published.add(response.requestId());
            return;
        }
        if (cacheKey != null) {
            cacheKeys.put(response.requestId(), cacheKey);
        }
        byRequest.put(response.requestId(), response);
    }

    /** Forgets a request's answer (a tombstone in the log). */
    public void forget(String requestId) {
        byRequest.remove(requestId);
        published.remove(requestId);
        cacheKeys.remove(requestId);
    }

    /**
     * Notes that the response to a stored answer is published; a later redelivery of the request
     * then needs no second copy. Written to the log without waiting: if the note is lost, the
     * answer is merely published again (the same bytes, which every consumer deduplicates).
     */
    public void markPublished(ModelResponse response) {
        if (response.failed() || !published.add(response.requestId())) {
            return;
        }
        String cacheKey = cacheKeys.remove(response.requestId());
        byRequest.remove(response.requestId());
        log.published(cacheKey, response);
    }

    /** Whether the response to this request is known to be published already. */
    public boolean isPublished(String requestId) {
        return published.contains(requestId);
    }

    /**
     * Records a new answer durably, then in memory.
     *
     * @throws RuntimeException when the durable log cannot be written (the prompt is then not acknowledged)
     */
    public void record(String cacheKey, ModelResponse response) {
        Written at = log.append(cacheKey, response);
        if (cacheKey != null && at != Written.NOWHERE) {
            byContent.locate(cacheKey, at.partition(), at.offset());
        }
        learn(cacheKey, response);
    }

    /** The stored answer to this request while its response is not known to be published. */
    public Optional<ModelResponse> forRequest(String requestId) {
        return Optional.ofNullable(byRequest.get(requestId));
    }

    /** A stored answer to an identical request. */
    public Optional<ModelResponse> forContent(String cacheKey) {
        return cacheKey == null ? Optional.empty() : byContent.get(cacheKey);
    }

    /** The content cache, where the log reader notes where each content key's answer lies. */
    public ContentCache contentCache() {
        return byContent;
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

    /** How many requests have stored answers (published or not). */
    public int size() {
        return byRequest.size() + published.size();
    }

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
