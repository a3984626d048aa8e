package io.assay.kit.streams;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.IndexType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the native memory of a service's RocksDB state stores as a whole: every store of the process
 * shares one block cache of {@value #DEFAULT_MIB} MiB (by default), which also holds the stores' index and
 * filter blocks and is charged with their write buffers (memtables, at most a quarter of it). Without
 * it Kafka Streams gives each store of each task its own 50 MB block cache and three 16 MB write
 * buffers, and keeps index and filter blocks outside any cache, so a service's memory outside the heap
 * grows with its partitions and, as the stores grow, with the history (BENCHMARKS.md, "Heap with
 * history"). Set by the kit for every service with a topology ({@code kafka-streams.rocksdb.config.setter});
 * the budget is {@code kafka-streams.assay.rocksdb.memory.mib} ({@code KAFKA_STREAMS_ASSAY_ROCKSDB_MEMORY_MIB}).
 *
 * <p>Each table file's index and Bloom filter are partitioned into small blocks under a pinned top level. Whole,
 * they are one block each, and the cache is split into shards of 1 MiB (64 MiB / 64): a file's filter (10 bits a
 * key) outgrows a shard past about 840,000 keys, is then read from the file again at every lookup, and a lookup of
 * a store of 2,000,000 small-valued keys or more takes 70–270 µs instead of under 20 (BENCHMARKS.md, "State store
 * lookups with a long history").
 *
 * <p>The cache and the write buffer manager are made with the first store and shared by every later one
 * (Kafka Streams creates one setter per store); they live as long as the process, so {@link #close} does
 * not free them.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {
    /** The streams setting that names the budget in MiB. */
    public static final String MEMORY = "assay.rocksdb.memory.mib";
    /** The budget when none is set, in MiB. */
    static final long DEFAULT_MIB = 64;
    /** The share of the budget the write buffers may take. */
    static final double WRITE_BUFFER_SHARE = 0.25;
    /** The share of the cache kept for index and filter blocks, so data blocks do not evict them. */
    private static final double HIGH_PRIORITY_SHARE = 0.1;
    /** The size of a partition of a table file's index or filter, in bytes. */
    static final int METADATA_BLOCK = 4096;

    private static Shared shared;

    /** The cache and write buffer manager every store of the process shares. */
    record Shared(long bytes, Cache cache, WriteBufferManager writeBuffers) {
        /** A new cache of {@code bytes} and a write buffer manager charged to it. */
        static Shared of(long bytes) {
            Cache cache = new LRUCache(bytes, -1, false, HIGH_PRIORITY_SHARE);
            return new Shared(bytes, cache, new WriteBufferManager((long) (bytes * WRITE_BUFFER_SHARE), cache));
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        configure(options, shared(budget(configs.get(MEMORY))), true);
    }

    /**
     * Points {@code options} at {@code shared}'s cache and write buffers. {@code partitioned} splits each table
     * file's index and Bloom filter into blocks of {@value #METADATA_BLOCK} bytes under a small pinned top level;
     * {@code false} (one index and one filter block a file, as before) is there for the tests' {@code
     * WholeIndexSetter} only.
     */
    static void configure(Options options, Shared shared, boolean partitioned) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(shared.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        if (partitioned) {
            table.setIndexType(IndexType.kTwoLevelIndexSearch);
            table.setPartitionFilters(true);
            table.setMetadataBlockSize(METADATA_BLOCK);
            table.setPinTopLevelIndexAndFilter(true);
        }
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(shared.writeBuffers());
    }

    @Override
    public void close(String storeName, Options options) {
        // The shared cache and write buffer manager outlive every store.
    }

    /** The budget in bytes from the setting's value ({@link #DEFAULT_MIB} when absent); refused when not a positive number. */
    static long budget(Object value) {
        if (value == null || value.toString().isBlank()) {
            return DEFAULT_MIB << 20;
        }
        long mib;
        try {
            mib = Long.parseLong(value.toString().strip());
        } catch (NumberFormatException e) {
            mib = -1;
        }
        if (mib < 1) {
            throw new IllegalArgumentException(
                    "kafka-streams." + MEMORY + " must be a positive number of MiB, was '" + value + "'");
        }
        return mib << 20;
    }

    /** The shared cache, made on first use with {@code bytes}; a later store asking another budget gets the first. */
    static synchronized Shared shared(long bytes) {
        if (shared == null) {
            shared = Shared.of(bytes);
        }
        return shared;
    }
}
