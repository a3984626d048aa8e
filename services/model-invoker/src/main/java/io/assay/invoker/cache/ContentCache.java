package io.assay.invoker.cache;

import io.assay.contracts.ModelResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Answers by content key, bounded: the {@code maxEntries} most recently used answers in heap, and for
 * every content key where its latest answer lies in the durable log ({@code assay.answers}), kept in the
 * {@link AnswerIndex} on disk and read back from the log on a miss. The heap holds at most
 * {@code maxEntries} answers however many content keys were ever seen. Thread-safe.
 */
public final class ContentCache {
    private final int maxEntries;
    private final AnswerIndex index;
    private final AnswerReadBack log;
    private final Map<String, ModelResponse> recent;
    private final LongAdder fromHeap = new LongAdder();
    private final LongAdder fromLog = new LongAdder();

    /**
     * @param maxEntries answers kept in heap, least recently used evicted first
     * @param index where each content key's answer lies
     * @param log where an evicted answer is read back from
     */
    public ContentCache(int maxEntries, AnswerIndex index, AnswerReadBack log) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("the content cache needs room for at least one answer: " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.index = index;
        this.log = log;
        this.recent = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ModelResponse> eldest) {
                return size() > ContentCache.this.maxEntries;
            }
        };
    }

    /** Keeps the first answer seen for {@code cacheKey} (an identical request's answer is as good). */
    public void put(String cacheKey, ModelResponse response) {
        synchronized (recent) {
            recent.putIfAbsent(cacheKey, response);
        }
    }

    /**
     * Notes where the latest record carrying {@code cacheKey} lies in the durable log. The latest is the
     * one compaction keeps: a later record of the same request (marked published) carries the key too.
     */
    public void locate(String cacheKey, long location) {
        index.locate(cacheKey, location);
    }

    /**
     * The answer to a request with this content, from heap or read back from the log; empty when none is
     * known, or its record is no longer where it was noted, or the log cannot be read now (the request is
     * then paid again, as before it was cached).
     */
    public Optional<ModelResponse> get(String cacheKey) {
        synchronized (recent) {
            ModelResponse hit = recent.get(cacheKey);
            if (hit != null) {
                fromHeap.increment();
                return Optional.of(hit);
            }
        }
        OptionalLong location = index.located(cacheKey);
        if (location.isEmpty()) {
            return Optional.empty();
        }
        Optional<ModelResponse> read;
        try {
            read = log.read(location.getAsLong())
                    .filter(r -> cacheKey.equals(r.cacheKey())
                            && r.response() != null
                            && !r.response().failed())
                    .map(AnswerReadBack.Logged::response);
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
        read.ifPresent(r -> {
            fromLog.increment();
            put(cacheKey, r);
        });
        return read;
    }

    /** Answers in heap now. */
    public int inHeap() {
        synchronized (recent) {
            return recent.size();
        }
    }

    /** Content keys known, in heap or in the log (the index's estimate). */
    public long known() {
        return index.contents();
    }

    /** Hits served from heap so far. */
    public long hitsFromHeap() {
        return fromHeap.sum();
    }

    /** Hits read back from the log so far. */
    public long hitsFromLog() {
        return fromLog.sum();
    }
}
