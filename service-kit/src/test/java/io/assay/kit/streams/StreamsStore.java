package io.assay.kit.streams;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.apache.kafka.streams.state.Stores;

/** Kafka Streams' own persistent key-value store (RocksDB, its options), outside a topology. */
final class StreamsStore {
    private StreamsStore() {}

    /** The store {@code slots} of task 0_0, opened in {@code dir} with {@code setter}; the caller closes it. */
    static KeyValueStore<Bytes, byte[]> open(Path dir, Class<? extends RocksDBConfigSetter> setter) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "assay-kit-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, setter);
        MockProcessorContext<Object, Object> context =
                new MockProcessorContext<>(config, new TaskId(0, 0), dir.toFile());
        KeyValueStore<Bytes, byte[]> store =
                Stores.persistentKeyValueStore("slots").get();
        store.init(context.getStateStoreContext(), store);
        return store;
    }
}
