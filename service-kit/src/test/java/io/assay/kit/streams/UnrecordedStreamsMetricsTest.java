package io.assay.kit.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnrecordedStreamsMetricsTest {
    /** The aggregator's {@code kafka_stream_state_*} names (Kafka 4.1.2) that read NaN or 0 for good at INFO. */
    private static final List<String> UNRECORDED = List.of(
            "all.latency.avg",
            "all.latency.max",
            "all.rate",
            "block.cache.data.hit.ratio",
            "block.cache.filter.hit.ratio",
            "block.cache.index.hit.ratio",
            "bytes.read.compaction.rate",
            "bytes.read.rate",
            "bytes.read.total",
            "bytes.written.compaction.rate",
            "bytes.written.rate",
            "bytes.written.total",
            "compaction.time.avg",
            "compaction.time.max",
            "compaction.time.min",
            "delete.latency.avg",
            "delete.latency.max",
            "delete.rate",
            "flush.latency.avg",
            "flush.latency.max",
            "flush.rate",
            "get.latency.avg",
            "get.latency.max",
            "get.rate",
            "iterator.duration.avg",
            "iterator.duration.max",
            "memtable.bytes.flushed.rate",
            "memtable.bytes.flushed.total",
            "memtable.flush.time.avg",
            "memtable.flush.time.max",
            "memtable.flush.time.min",
            "memtable.hit.ratio",
            "number.file.errors.total",
            "number.open.files.total",
            "oldest.iterator.open.since.ms",
            "prefix.scan.latency.avg",
            "prefix.scan.latency.max",
            "prefix.scan.rate",
            "put.all.latency.avg",
            "put.all.latency.max",
            "put.all.rate",
            "put.if.absent.latency.avg",
            "put.if.absent.latency.max",
            "put.if.absent.rate",
            "put.latency.avg",
            "put.latency.max",
            "put.rate",
            "range.latency.avg",
            "range.latency.max",
            "range.rate",
            "record.e2e.latency.avg",
            "record.e2e.latency.max",
            "record.e2e.latency.min",
            "restore.latency.avg",
            "restore.latency.max",
            "restore.rate",
            "write.stall.duration.avg",
            "write.stall.duration.total");

    /** The same page's names that carry values at INFO: RocksDB's properties, open iterators, the state updater. */
    private static final List<String> RECORDED = List.of(
            "background.errors",
            "block.cache.capacity",
            "block.cache.pinned.usage",
            "block.cache.usage",
            "compaction.pending",
            "cur.size.active.mem.table",
            "cur.size.all.mem.tables",
            "estimate.num.keys",
            "estimate.pending.compaction.bytes",
            "estimate.table.readers.mem",
            "live.sst.files.size",
            "mem.table.flush.pending",
            "num.deletes.active.mem.table",
            "num.deletes.imm.mem.tables",
            "num.entries.active.mem.table",
            "num.entries.imm.mem.tables",
            "num.immutable.mem.table",
            "num.live.versions",
            "num.open.iterators",
            "num.running.compactions",
            "num.running.flushes",
            "size.all.mem.tables",
            "total.sst.files.size",
            "updater.active.paused.tasks",
            "updater.active.restore.ratio",
            "updater.active.restoring.tasks",
            "updater.checkpoint.ratio",
            "updater.idle.ratio",
            "updater.restore.call.rate",
            "updater.restore.records.rate",
            "updater.standby.paused.tasks",
            "updater.standby.update.ratio",
            "updater.standby.updating.tasks");

    /** The aggregator's task and processor-node names (Kafka 4.1.2) that read NaN or 0 for good at INFO. */
    private static final List<String> UNRECORDED_ELSEWHERE = List.of(
            "task.active.buffer.count",
            "task.enforced.processing.rate",
            "task.enforced.processing.total",
            "task.process.latency.avg",
            "task.process.latency.max",
            "task.process.rate",
            "task.process.total",
            "task.punctuate.latency.avg",
            "task.punctuate.latency.max",
            "task.punctuate.rate",
            "task.punctuate.total",
            "task.record.lateness.avg",
            "task.record.lateness.max",
            "task.restore.rate",
            "task.restore.total",
            "processor.node.process.rate",
            "processor.node.process.total");

    /** The same page's task, processor-node and thread names that Kafka Streams records at INFO. */
    private static final List<String> RECORDED_ELSEWHERE = List.of(
            "task.active.process.ratio",
            "task.dropped.records.rate",
            "task.dropped.records.total",
            "task.restore.remaining.records.total",
            "processor.node.record.e2e.latency.avg",
            "processor.node.record.e2e.latency.max",
            "processor.node.record.e2e.latency.min",
            "thread.process.latency.avg",
            "thread.process.rate",
            "thread.commit.latency.avg",
            "thread.punctuate.rate",
            "alive.stream.threads",
            "topic.records.produced.total");

    @Test
    void atInfoTheMetricsNeverRecordedAreLeftOutAndTheRestKept() {
        UnrecordedStreamsMetrics filter = new UnrecordedStreamsMetrics("INFO");

        for (String name : UNRECORDED) {
            assertThat(filter.accept(id("kafka.stream.state." + name))).as(name).isEqualTo(MeterFilterReply.DENY);
        }
        for (String name : RECORDED) {
            assertThat(filter.accept(id("kafka.stream.state." + name))).as(name).isEqualTo(MeterFilterReply.NEUTRAL);
        }
        for (String name : UNRECORDED_ELSEWHERE) {
            assertThat(filter.accept(id("kafka.stream." + name))).as(name).isEqualTo(MeterFilterReply.DENY);
        }
        for (String name : RECORDED_ELSEWHERE) {
            assertThat(filter.accept(id("kafka.stream." + name))).as(name).isEqualTo(MeterFilterReply.NEUTRAL);
        }
        // Clients' metrics of the same names are not Kafka Streams'.
        assertThat(filter.accept(id("kafka.consumer.fetch.manager.records.lag")))
                .isEqualTo(MeterFilterReply.NEUTRAL);
        assertThat(filter.accept(id("kafka.producer.record.send.total"))).isEqualTo(MeterFilterReply.NEUTRAL);
        assertThat(filter.accept(id("assay.aggregator.freshness"))).isEqualTo(MeterFilterReply.NEUTRAL);
    }

    @Test
    void atDebugOrTraceNothingIsLeftOut() {
        for (String level : List.of("DEBUG", "trace ")) {
            UnrecordedStreamsMetrics filter = new UnrecordedStreamsMetrics(level);
            for (String name : UNRECORDED) {
                assertThat(filter.accept(id("kafka.stream.state." + name)))
                        .as(level + " " + name)
                        .isEqualTo(MeterFilterReply.NEUTRAL);
            }
            for (String name : UNRECORDED_ELSEWHERE) {
                assertThat(filter.accept(id("kafka.stream." + name)))
                        .as(level + " " + name)
                        .isEqualTo(MeterFilterReply.NEUTRAL);
            }
        }
    }

    private static Meter.Id id(String name) {
        return new Meter.Id(name, Tags.of("task_id", "0_0"), null, null, Meter.Type.GAUGE);
    }
}
