package io.assay.kit.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.jboss.logging.Logger;

/**
 * Whether the last run of a Kafka Streams application on this disk closed cleanly; under exactly-once, its
 * local state is wiped before the next start when it did not, so that every store is restored from its
 * changelog.
 *
 * <p>Why the kit does what Kafka Streams means to do itself: under {@code exactly_once_v2}, Kafka Streams
 * 4.1's state updater writes a task's checkpoint file when the task finishes restoring, and nothing deletes
 * it while the task runs (KAFKA-20685, apache/kafka#22548, fixed on the 4.2 branch). A process killed while
 * running finds that checkpoint at its next start, keeps its RocksDB files and replays only the changelog's
 * committed records after the checkpoint. RocksDB runs without a write-ahead log and writes a memtable to disk
 * when it fills, so those files can hold writes of a transaction that never committed, and no committed
 * record overwrites them. In the fault suite the judge, killed with SIGKILL, came back believing it had
 * sent three judge calls whose prompts were never committed: three judgments lost for good
 * (docs/delivery.md, "Restarts"). Without a checkpoint, Kafka Streams treats the task as corrupted, wipes it
 * and restores it from the changelog; {@link KafkaStreams#cleanUp()} before the start does the same for every
 * task.
 *
 * <p>The record of a run is a file beside the state directories, {@code <state.dir>/<application.id>.running}:
 * written before Kafka Streams starts, deleted once it has closed within its timeout and stopped without an
 * error. Finding it at the next start means the process was killed, or its close did not finish. Under
 * at-least-once nothing is wiped: replayed writes are what that guarantee allows.
 */
public final class LastRun {
    private static final Logger LOG = Logger.getLogger(LastRun.class);

    private final Path marker;
    private final boolean exactlyOnce;

    private LastRun(Path marker, boolean exactlyOnce) {
        this.marker = marker;
        this.exactlyOnce = exactlyOnce;
    }

    /** The record of the runs of the application a Kafka Streams configuration describes. */
    public static LastRun of(Properties streamsConfig) {
        // Parsed with Kafka Streams' defaults, without logging the whole configuration a second time.
        Map<String, Object> config = StreamsConfig.configDef().parse(streamsConfig);
        Path stateDir = Path.of((String) config.get(StreamsConfig.STATE_DIR_CONFIG));
        String applicationId = (String) config.get(StreamsConfig.APPLICATION_ID_CONFIG);
        boolean exactlyOnce =
                StreamsConfig.EXACTLY_ONCE_V2.equals(config.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        return new LastRun(stateDir.resolve(applicationId + ".running"), exactlyOnce);
    }

    /** The file that says a run has started and not closed cleanly. */
    public Path marker() {
        return marker;
    }

    /**
     * Call before {@link KafkaStreams#start()}: wipes the local state if the last run did not close cleanly
     * (under exactly-once), then records that this one runs.
     *
     * @return whether the local state was wiped
     */
    public boolean beforeStart(KafkaStreams streams) {
        boolean wipe = exactlyOnce && Files.exists(marker);
        if (wipe) {
            LOG.warnf(
                    "the last run did not close cleanly (%s is still there: killed, or its close timed out);"
                            + " its stores may hold writes of a transaction that never committed, so the local"
                            + " state is wiped and every store restored from its changelog (Kafka Streams keeps its"
                            + " process file, and with it the transactional id that fences the last run's open"
                            + " transaction, so it warns that it could not delete the directory itself)",
                    marker);
            streams.cleanUp();
        }
        try {
            Files.createDirectories(marker.getParent());
            // Written through to the disk, so that a machine crashing right after the start leaves it too.
            String text = "started " + Instant.now() + " by process "
                    + ProcessHandle.current().pid() + "; deleted when Kafka Streams closes cleanly\n";
            Files.writeString(
                    marker,
                    text,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + marker, e);
        }
        return wipe;
    }

    /**
     * Call after {@link KafkaStreams#close}: records a clean close if it finished in time ({@code closed}, what
     * {@code close} returned) and Kafka Streams stopped without an error.
     */
    public void afterClose(KafkaStreams streams, boolean closed) {
        if (!closed || streams.state() != KafkaStreams.State.NOT_RUNNING) {
            LOG.warnf(
                    "Kafka Streams did not close cleanly (%s); the next start wipes the local state",
                    closed ? streams.state() : "close timed out");
            return;
        }
        try {
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            LOG.warnf(e, "cannot delete %s; the next start wipes the local state", marker);
        }
    }
}
