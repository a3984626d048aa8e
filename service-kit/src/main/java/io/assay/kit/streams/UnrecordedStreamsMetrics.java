package io.assay.kit.streams;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Leaves out of the metrics those that Kafka Streams registers but does not record at its default recording
 * level ({@code metrics.recording.level} INFO). Micrometer's binder registers every metric of {@code
 * KafkaStreams.metrics()}, and Kafka Streams creates the sensors of every level, so these read NaN or 0 for
 * the service's whole life: a third of a Streams service's series or more (849 of the aggregator's 2,530 with four
 * stores on three tasks, 1,107 of the judge's 2,706).
 *
 * <p>What is left out, by meter name ({@code kafka.<group>.<metric>}, dots for dashes), as Kafka 4.1's sensors
 * record them:
 *
 * <ul>
 *   <li>{@code kafka.stream.state.*} ({@code StateStoreMetrics}, {@code RocksDBMetrics}): every store
 *       operation's rate and latency, {@code suppression-buffer-*}, {@code iterator-duration-*}, {@code
 *       oldest-iterator-open-since-ms} (DEBUG), the store's {@code record-e2e-latency-*} (TRACE), and RocksDB's
 *       statistics-based metrics (DEBUG: bytes read and written, memtable, block cache hit ratios, compaction,
 *       write stalls, open files). Kept: RocksDB's property-based metrics (INFO: {@code estimate-num-keys},
 *       memory, SST sizes, pending compactions, {@code background-errors}), {@code num-open-iterators}, and the
 *       state updater's metrics ({@code kafka.stream.state.updater.*}, another group), which the dashboards read.
 *   <li>{@code kafka.stream.task.*} ({@code TaskMetrics}, DEBUG): process, punctuate and restore rates and
 *       latencies, {@code record-lateness-*}, {@code enforced-processing-*}, {@code active-buffer-count}, {@code
 *       cache-size-bytes-total}, {@code update-*}. Kept (INFO): {@code dropped-records-*}, {@code
 *       active-process-ratio}, {@code restore-remaining-records-total}.
 *   <li>{@code kafka.stream.processor.node.*} ({@code ProcessorNodeMetrics}, DEBUG): {@code process-*}, {@code
 *       suppression-emit-*}, {@code idempotent-update-skip-*}, {@code window-aggregate-final-emit-*}. Kept
 *       (INFO): {@code record-e2e-latency-*}.
 * </ul>
 *
 * <p>The thread's and the topics' metrics are all recorded at INFO and kept. A name not listed is kept, so a
 * metric a later Kafka adds shows up. At a recording level of DEBUG or TRACE nothing is left out.
 */
public final class UnrecordedStreamsMetrics implements MeterFilter {
    /** Per group's meter-name prefix, the names after it (or their starts, ending in a dot) not recorded at INFO. */
    static final Map<String, List<String>> UNRECORDED = Map.of(
            "kafka.stream.state.",
            List.of(
                    // StateStoreMetrics: one sensor per operation (rate, latency avg and max), DEBUG
                    "put.",
                    "put.if.absent.",
                    "put.all.",
                    "get.",
                    "fetch.",
                    "all.",
                    "range.",
                    "prefix.scan.",
                    "flush.",
                    "delete.",
                    "remove.",
                    "restore.",
                    "suppression.buffer.",
                    "iterator.duration.",
                    "oldest.iterator.open.since.ms",
                    // StateStoreMetrics: end-to-end latency at the store, TRACE
                    "record.e2e.latency.",
                    // RocksDBMetrics: the statistics-based sensors, DEBUG
                    "bytes.written.",
                    "bytes.read.",
                    "memtable.",
                    "write.stall.duration.",
                    "block.cache.data.hit.ratio",
                    "block.cache.index.hit.ratio",
                    "block.cache.filter.hit.ratio",
                    "compaction.time.",
                    "number.open.files",
                    "number.file.errors."),
            "kafka.stream.task.",
            List.of(
                    // TaskMetrics, DEBUG (restore.remaining.records.total is INFO: the restore sensor's names in full)
                    "process.",
                    "punctuate.",
                    "restore.rate",
                    "restore.total",
                    "update.",
                    "record.lateness.",
                    "enforced.processing.",
                    "active.buffer.count",
                    "cache.size.bytes.total"),
            "kafka.stream.processor.node.",
            List.of(
                    // ProcessorNodeMetrics, DEBUG (record.e2e.latency.* is INFO)
                    "process.", "suppression.emit.", "idempotent.update.skip.", "window.aggregate.final.emit."));

    private final boolean recordedBeyondInfo;

    /** @param recordingLevel Kafka Streams' {@code metrics.recording.level} (INFO, DEBUG or TRACE) */
    public UnrecordedStreamsMetrics(String recordingLevel) {
        this.recordedBeyondInfo = !"INFO".equals(recordingLevel.trim().toUpperCase(Locale.ROOT));
    }

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        return !recordedBeyondInfo && unrecorded(id.getName()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }

    static boolean unrecorded(String meterName) {
        for (Map.Entry<String, List<String>> group : UNRECORDED.entrySet()) {
            if (meterName.startsWith(group.getKey())) {
                String metric = meterName.substring(group.getKey().length());
                return group.getValue().stream().anyMatch(metric::startsWith);
            }
        }
        return false;
    }
}
