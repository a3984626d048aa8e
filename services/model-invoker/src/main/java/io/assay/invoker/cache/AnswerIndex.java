package io.assay.invoker.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.Env;
import org.rocksdb.IndexType;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksMemEnv;
import org.rocksdb.WriteOptions;

/**
 * Where every answer of {@code assay.answers} stands, on disk (a local RocksDB), so the heap does not
 * grow with the answers ever given: per request id, whether its response is published, else where its
 * answer lies in the log; per content key, where the latest answer carrying it lies. Derived data: it is
 * wiped and rebuilt from the log at every start ({@code AnswerLogReader}), so it needs no write-ahead
 * log of its own and survives nothing. Native memory is bounded by its options (two write buffers of
 * 8 MiB per column family and a block cache of 16 MiB holding the index and Bloom filter blocks too, in
 * partitions of 4 KiB that fit it however many answers there are), not by the number of answers. A lookup
 * of a request never answered, the common case, is answered by the Bloom filters mostly without a disk
 * read. Thread-safe.
 *
 * <p>A location packs a partition (below 2^15) and an offset (below 2^48) into one {@code long}.
 */
public final class AnswerIndex implements AutoCloseable {
    private static final byte STORED = 1;
    private static final byte PUBLISHED = 2;
    private static final long WRITE_BUFFER = 8L << 20;
    private static final long BLOCK_CACHE = 16L << 20;

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final Env env;
    private final LRUCache blockCache;
    private final BloomFilter filter;
    private final ColumnFamilyOptions columnOptions;
    private final DBOptions options;
    private final WriteOptions writes;
    private final RocksDB db;
    private final ColumnFamilyHandle requests;
    private final ColumnFamilyHandle contents;
    private final List<ColumnFamilyHandle> handles;
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private AnswerIndex(Path dir, Env env, boolean partitioned) {
        this.dir = dir;
        this.env = env;
        blockCache = new LRUCache(BLOCK_CACHE);
        filter = new BloomFilter(10);
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(blockCache)
                .setFilterPolicy(filter)
                .setCacheIndexAndFilterBlocks(true)
                .setPinL0FilterAndIndexBlocksInCache(true);
        if (partitioned) {
            // A table file's index and Bloom filter in blocks of 4 KiB under a small top level pinned in the cache.
            // One block each grows with the file (the filter 10 bits a key): once larger than a shard of the block
            // cache (16 MiB in 32 shards of 512 KiB: past about 420,000 request ids in a file) it is not kept, and is
            // read from the file again at every lookup, so a prompt's lookups cost 13-25 us up to 400,000 answers and
            // 290-340 us at 800,000 (BENCHMARKS.md, "The answer index on a long history").
            table.setIndexType(IndexType.kTwoLevelIndexSearch)
                    .setPartitionFilters(true)
                    .setMetadataBlockSize(4096)
                    .setCacheIndexAndFilterBlocksWithHighPriority(true)
                    .setPinTopLevelIndexAndFilter(true);
        }
        columnOptions = new ColumnFamilyOptions()
                .setWriteBufferSize(WRITE_BUFFER)
                .setMaxWriteBufferNumber(2)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setTableFormatConfig(table);
        options = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(2)
                .setEnv(env);
        // Rebuilt from the log at every start: a write-ahead log would only cost disk writes.
        writes = new WriteOptions().setDisableWAL(true);
        List<ColumnFamilyDescriptor> families = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, columnOptions),
                new ColumnFamilyDescriptor(bytes("requests"), columnOptions),
                new ColumnFamilyDescriptor(bytes("contents"), columnOptions));
        handles = new ArrayList<>();
        try {
            db = RocksDB.open(options, dir.toString(), families, handles);
        } catch (RocksDBException e) {
            closeOptions();
            throw new IllegalStateException("cannot open the answer index in " + dir + ": " + e.getMessage(), e);
        }
        requests = handles.get(1);
        contents = handles.get(2);
    }

    /**
     * An empty index in {@code dir}, whatever index was there before (that of an earlier start, which
     * the log rebuilds). Removed again on {@link #close}.
     *
     * @throws IllegalStateException when {@code dir} holds files but no RocksDB (it is never wiped then)
     */
    public static AnswerIndex open(Path dir) {
        return open(dir, true);
    }

    /**
     * {@link #open(Path)}, or with {@code partitioned} false the layout before session 29: one index and one filter
     * block per table file (benchmarks).
     */
    static AnswerIndex open(Path dir, boolean partitioned) {
        if (Files.isDirectory(dir) && !Files.exists(dir.resolve("CURRENT")) && !empty(dir)) {
            throw new IllegalStateException("the answer index directory " + dir + " holds files that are no index");
        }
        requireUnused(dir);
        delete(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the answer index directory " + dir, e);
        }
        return new AnswerIndex(dir, Env.getDefault(), partitioned);
    }

    /** An empty index in native memory rather than on disk (tests, and a store without durable log). */
    public static AnswerIndex inMemory() {
        return new AnswerIndex(Path.of("/answer-index-" + UUID.randomUUID()), new RocksMemEnv(Env.getDefault()), true);
    }

    /**
     * Notes that {@code requestId}'s answer lies at {@code location}, unless its response is already
     * known to be published (a record read back after its mark was noted changes nothing).
     */
    public synchronized void stored(String requestId, long location) {
        byte[] key = bytes(requestId);
        byte[] now = get(requests, key);
        if (now == null || now[0] != PUBLISHED) {
            put(requests, key, stored(location));
        }
    }

    /** Notes that {@code requestId}'s response is published; false when it was known already. */
    public synchronized boolean published(String requestId) {
        byte[] key = bytes(requestId);
        byte[] now = get(requests, key);
        if (now != null && now[0] == PUBLISHED) {
            return false;
        }
        put(requests, key, new byte[] {PUBLISHED});
        return true;
    }

    /** Forgets {@code requestId} (a tombstone in the log). */
    public synchronized void forget(String requestId) {
        open(
                () -> {
                    db.delete(requests, writes, bytes(requestId));
                    return null;
                },
                "forget " + requestId);
    }

    /** Whether {@code requestId}'s response is known to be published. */
    public boolean isPublished(String requestId) {
        byte[] now = get(requests, bytes(requestId));
        return now != null && now[0] == PUBLISHED;
    }

    /** Where {@code requestId}'s answer lies while its response is not known to be published. */
    public OptionalLong storedAt(String requestId) {
        byte[] now = get(requests, bytes(requestId));
        return now == null || now[0] != STORED ? OptionalLong.empty() : OptionalLong.of(location(now, 1));
    }

    /** Notes where the latest answer carrying {@code cacheKey} lies. */
    public void locate(String cacheKey, long location) {
        put(contents, bytes(cacheKey), stored(location));
    }

    /** Where the latest answer carrying {@code cacheKey} lies. */
    public OptionalLong located(String cacheKey) {
        byte[] now = get(contents, bytes(cacheKey));
        return now == null ? OptionalLong.empty() : OptionalLong.of(location(now, 1));
    }

    /** About how many request ids are known (RocksDB's estimate). */
    public long requests() {
        return estimate(requests);
    }

    /** About how many content keys are known (RocksDB's estimate). */
    public long contents() {
        return estimate(contents);
    }

    /** RocksDB's {@code property} of the request ids' column family, such as {@code rocksdb.stats} (benchmarks). */
    String property(String property) {
        return open(() -> db.getProperty(requests, property), "read " + property);
    }

    /** The index's files on disk now, in bytes (0 in memory). */
    public long diskBytes() {
        if (env instanceof RocksMemEnv) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    /** Packs a location in the log. */
    public static long location(int partition, long offset) {
        if (partition < 0 || partition >= 1 << 15 || offset < 0 || offset >= 1L << 48) {
            throw new IllegalArgumentException("cannot locate partition " + partition + " offset " + offset);
        }
        return ((long) partition << 48) | offset;
    }

    /** The partition of a packed location. */
    public static int partition(long location) {
        return (int) (location >>> 48);
    }

    /** The offset of a packed location. */
    public static long offset(long location) {
        return location & ((1L << 48) - 1);
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lifecycle.writeLock().unlock();
        }
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        closeOptions();
        if (env instanceof RocksMemEnv) {
            env.close();
        } else {
            delete(dir);
        }
    }

    private void closeOptions() {
        writes.close();
        options.close();
        columnOptions.close();
        filter.close();
        blockCache.close();
    }

    private byte[] get(ColumnFamilyHandle family, byte[] key) {
        return open(() -> db.get(family, key), "read");
    }

    private void put(ColumnFamilyHandle family, byte[] key, byte[] value) {
        open(
                () -> {
                    db.put(family, writes, key, value);
                    return null;
                },
                "write");
    }

    private long estimate(ColumnFamilyHandle family) {
        try {
            return open(() -> db.getLongProperty(family, "rocksdb.estimate-num-keys"), "count");
        } catch (IllegalStateException e) {
            return -1;
        }
    }

    /** Runs {@code call} unless the index is closed: RocksDB's native handles must not be used after close. */
    private <T> T open(Call<T> call, String what) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the answer index in " + dir + " is closed");
            }
            return call.run();
        } catch (RocksDBException e) {
            throw new IllegalStateException(
                    "the answer index in " + dir + " cannot " + what + ": " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws RocksDBException;
    }

    private static byte[] stored(long location) {
        byte[] value = new byte[9];
        value[0] = STORED;
        for (int i = 0; i < 8; i++) {
            value[1 + i] = (byte) (location >>> (56 - 8 * i));
        }
        return value;
    }

    private static long location(byte[] value, int from) {
        long location = 0;
        for (int i = 0; i < 8; i++) {
            location = (location << 8) | (value[from + i] & 0xff);
        }
        return location;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Refuses to wipe the index another process has open (RocksDB locks its {@code LOCK} file). */
    private static void requireUnused(Path dir) {
        Path lock = dir.resolve("LOCK");
        if (!Files.exists(lock)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE);
                FileLock held = channel.tryLock()) {
            if (held == null) {
                throw new IllegalStateException("the answer index in " + dir + " is open in another process: give"
                        + " each replica its own assay.instance-id or assay.state-dir");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check whether the answer index in " + dir + " is in use", e);
        }
    }

    private static boolean empty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the answer index directory " + dir, e);
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the answer index directory " + dir, e);
        }
    }
}
