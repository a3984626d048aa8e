package io.assay.kit.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.IndexType;
import org.rocksdb.Options;

class BoundedRocksDbTest {
    @Test
    void theBudgetIsMibAndDefaultsTo64() {
        assertThat(BoundedRocksDb.budget(null)).isEqualTo(64L << 20);
        assertThat(BoundedRocksDb.budget(" ")).isEqualTo(64L << 20);
        assertThat(BoundedRocksDb.budget("128")).isEqualTo(128L << 20);
        assertThat(BoundedRocksDb.budget(16)).isEqualTo(16L << 20);
    }

    @Test
    void aBudgetThatIsNotAPositiveNumberIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> BoundedRocksDb.budget("64m"))
                .hasMessageContaining("kafka-streams.assay.rocksdb.memory.mib")
                .hasMessageContaining("'64m'");
        assertThatThrownBy(() -> BoundedRocksDb.budget("0")).hasMessageContaining("positive");
    }

    @Test
    void everyStoreSharesTheFirstStoresCacheAndWriteBuffers() {
        // Given: two stores configured one after the other, the second asking another budget
        Map<String, Object> configs = new HashMap<>(Map.of(BoundedRocksDb.MEMORY, "32"));
        try (Options first = new Options().setTableFormatConfig(new BlockBasedTableConfig());
                Options second = new Options().setTableFormatConfig(new BlockBasedTableConfig())) {
            new BoundedRocksDb().setConfig("slots", first, configs);
            configs.put(BoundedRocksDb.MEMORY, "999");
            new BoundedRocksDb().setConfig("calls", second, configs);

            // Then: one cache and write buffer manager for the process, made once; index and filter blocks in it,
            // partitioned under a pinned top level
            assertThat(BoundedRocksDb.shared(1)).isSameAs(BoundedRocksDb.shared(2));
            BlockBasedTableConfig table = (BlockBasedTableConfig) second.tableFormatConfig();
            assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
            assertThat(table.indexType()).isEqualTo(IndexType.kTwoLevelIndexSearch);
            assertThat(table.partitionFilters()).isTrue();
            assertThat(table.metadataBlockSize()).isEqualTo(4096);
            assertThat(table.pinTopLevelIndexAndFilter()).isTrue();
        }
    }
}
