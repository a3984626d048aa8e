package io.assay.kit.streams;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.List;
import java.util.Locale;

/**
 * Leaves out of the metrics the state-store metrics that Kafka Streams registers but does not record at
 * its default recording level ({@code metrics.recording.level} INFO). Micrometer's binder registers every
 * metric of {@code KafkaStreams.metrics()}, and Kafka Streams creates the sensors of every level, so these
 * read NaN or 0 for the service's whole life: about 60 names per store and task, a third of a Streams
 * service's series (982 of the aggregator's 2,530 with four stores on three tasks).
 *
 * <p>What is left out is the group {@code stream-state-metrics} (meters {@code kafka.stream.state.*}) that
 * Kafka 4.1's {@code StateStoreMetrics} records at DEBUG (every store operation's rate and latency, {@code
 * suppression-buffer-*}, {@code iterator-duration-*}, {@code oldest-iterator-open-since-ms}) or TRACE
 * ({@code record-e2e-latency-*}), and the statistics-based metrics of {@code RocksDBMetrics} (DEBUG: bytes
 * read and written, memtable, block cache hit ratios, compaction, write stalls, open files). What stays of
 * the group: RocksDB's property-based metrics (INFO: {@code estimate-num-keys}, memory, SST sizes, pending
 * compactions, {@code background-errors}), {@code num-open-iterators}, and the state updater's metrics
 * ({@code kafka.stream.state.updater.*}, another group), which the dashboards read. A name not listed is kept,
 * so a metric a later Kafka adds shows up. At a recording level of DEBUG or TRACE nothing is left out.
 */
public final class UnrecordedStoreMetrics implements MeterFilter {
    static final String PREFIX = "kafka.stream.state.";

    /** The metric names (after {@link #PREFIX}, dots for dashes) recorded only at DEBUG or TRACE, as prefixes. */
    static final List<String> UNRECORDED = List.of(
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
            "number.file.errors.");

    private final boolean recordedBeyondInfo;

    /** @param recordingLevel Kafka Streams' {@code metrics.recording.level} (INFO, DEBUG or TRACE) */
    public UnrecordedStoreMetrics(String recordingLevel) {
        this.recordedBeyondInfo = !"INFO".equals(recordingLevel.trim().toUpperCase(Locale.ROOT));
    }

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        return !recordedBeyondInfo && unrecorded(id.getName()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }

    static boolean unrecorded(String meterName) {
        if (!meterName.startsWith(PREFIX)) {
            return false;
        }
        String metric = meterName.substring(PREFIX.length());
        for (String name : UNRECORDED) {
            if (metric.startsWith(name)) {
                return true;
            }
        }
        return false;
    }
}
