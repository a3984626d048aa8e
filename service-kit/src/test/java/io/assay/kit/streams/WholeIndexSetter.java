package io.assay.kit.streams;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/**
 * {@link BoundedRocksDb} as it was before session 30: the same budget, one index and one Bloom filter block a table
 * file; with a cache of its own, so a test or benchmark can open stores both ways in one JVM.
 */
public final class WholeIndexSetter implements RocksDBConfigSetter {
    private static final BoundedRocksDb.Shared SHARED = BoundedRocksDb.Shared.of(BoundedRocksDb.DEFAULT_MIB << 20);

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BoundedRocksDb.configure(options, SHARED, false);
    }

    @Override
    public void close(String storeName, Options options) {}
}
