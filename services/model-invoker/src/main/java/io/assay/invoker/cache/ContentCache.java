package io.assay.invoker.cache;

import io.assay.contracts.ModelResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Answers by content key, bounded: the {@code maxEntries} most recently used answers in heap, and for
 * every other content key only where its answer lies in the durable log ({@code assay.answers}), read
 * back from there on a miss. An answer costs heap as long as it is in use; a content key seen once
 * costs its location (the key and a {@code long}, about 150 bytes) instead of the whole answer (a
 * judge's reply with its rationale is kilobytes), so the heap no longer grows with every answer ever
 * paid for. Thread-safe.
 */
public final class ContentCache {
    private final int maxEntries;
    private final ContentLog log;
    private final Map<String, ModelResponse> recent;
    private final Map<String, Long> locations = new ConcurrentHashMap<>();
    private final LongAdder fromHeap = new LongAdder();
    private final LongAdder fromLog = new LongAdder();

    /**
     * @param maxEntries answers kept in heap, least recently used evicted first
     * @param log where an evicted answer is read back from
     */
    public ContentCache(int maxEntries, ContentLog log) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("the content cache needs room for at least one answer: " + maxEntries);
        }
        this.maxEntries = maxEntries;
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
    public void locate(String cacheKey, int partition, long offset) {
        locations.put(cacheKey, pack(partition, offset));
    }

    /** The answer to a request with this content, from heap or read back from the log. */
    public Optional<ModelResponse> get(String cacheKey) {
        synchronized (recent) {
            ModelResponse hit = recent.get(cacheKey);
            if (hit != null) {
                fromHeap.increment();
                return Optional.of(hit);
            }
        }
        Long location = locations.get(cacheKey);
        if (location == null) {
            return Optional.empty();
        }
        Optional<ModelResponse> read = log.read(cacheKey, partition(location), offset(location));
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

    /** Content keys known, in heap or in the log. */
    public int known() {
        return locations.size();
    }

    /** Hits served from heap so far. */
    public long hitsFromHeap() {
        return fromHeap.sum();
    }

    /** Hits read back from the log so far. */
    public long hitsFromLog() {
        return fromLog.sum();
    }

    static long pack(int partition, long offset) {
        if (partition < 0 || partition >= 1 << 15 || offset < 0 || offset >= 1L << 48) {
            throw new IllegalArgumentException("cannot locate partition " + partition + " offset " + offset);
        }
        return ((long) partition << 48) | offset;
    }

    static int partition(long location) {
        return (int) (location >>> 48);
    }

    static long offset(long location) {
        return location & ((1L << 48) - 1);
    }

    /** Reads one answer back from the durable log. */
    @FunctionalInterface
    public interface ContentLog {
        /** Nothing to read back from: an evicted answer is a miss. */
        ContentLog NONE = (key, partition, offset) -> Optional.empty();

        /**
         * The answer at {@code partition}/{@code offset} if that record still carries {@code cacheKey}
         * (compaction or a tombstone may have removed it), empty otherwise.
         */
        Optional<ModelResponse> read(String cacheKey, int partition, long offset);
    }
}
