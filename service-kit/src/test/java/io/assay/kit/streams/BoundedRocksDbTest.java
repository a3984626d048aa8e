package io.assay.kit.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assay.contracts.Ids;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

    @Test
    void aStoreWrittenWithWholeIndexBlocksIsReadAndWrittenAfterTheChange(@TempDir Path dir) throws IOException {
        // Given: a Kafka Streams store flushed to table files as before (whole index and filter blocks)
        KeyValueStore<Bytes, byte[]> before = StreamsStore.open(dir, WholeIndexSetter.class);
        for (int i = 0; i < 20_000; i++) {
            before.put(key(i), value(i));
        }
        before.flush();
        before.close();
        assertThat(tableFiles(dir)).isNotEmpty();

        // When: it is opened again with today's settings, and written to
        KeyValueStore<Bytes, byte[]> now = StreamsStore.open(dir, BoundedRocksDb.class);
        try {
            for (int i = 20_000; i < 40_000; i++) {
                now.put(key(i), value(i));
            }
            now.flush();

            // Then: every key of both layouts' files is found, and no other
            for (int i = 0; i < 40_000; i++) {
                assertThat(now.get(key(i))).isEqualTo(value(i));
            }
            assertThat(now.get(key(40_000))).isNull();
            assertThat(now.approximateNumEntries()).isBetween(30_000L, 50_000L);
        } finally {
            now.close();
        }
    }

    private static List<Path> tableFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".sst")).toList();
        }
    }

    private static Bytes key(int i) {
        return Bytes.wrap(("bench/" + Ids.hash("k", Integer.toString(i))).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] value(int i) {
        return Integer.toString(i).getBytes(StandardCharsets.UTF_8);
    }
}
