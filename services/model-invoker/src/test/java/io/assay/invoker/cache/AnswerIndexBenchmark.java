package io.assay.invoker.cache;

import io.assay.contracts.Ids;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The answer index's lookups and writes for one answered prompt, as the invoker makes them: is it published, where
 * is it stored (both misses for a new prompt), noted stored (a lookup, a miss, and a write), noted published (a
 * lookup and a write), then the log reader's two notes of the same records (lookups that find it published).
 * Against an index on disk as it was before session 29 (one index and one filter block per table file) and as it is
 * (partitioned), in the same run, round after round on the same two indexes (the history grows by a round each
 * time), with the files of each level and RocksDB's write stalls. Prints
 * figures, asserts nothing: {@code ./mvnw -o test -pl services/model-invoker -Dtest=AnswerIndexBenchmark
 * -Dassay.bench=answer-index}.
 */
@EnabledIfSystemProperty(named = "assay.bench", matches = "answer-index")
class AnswerIndexBenchmark {
    private static final int PROMPTS = 200_000;
    private static final int ROUNDS = 5;

    @Test
    void microsecondsPerPrompt() throws Exception {
        try (AnswerIndex without = AnswerIndex.open(Files.createTempDirectory("answer-index-bench"), false);
                AnswerIndex with = AnswerIndex.open(Files.createTempDirectory("answer-index-bench"), true)) {
            for (int round = 0; round < ROUNDS; round++) {
                double[] off = prompts(without, round);
                double[] on = prompts(with, round);
                System.out.printf(
                        "round %d (%,d prompts answered before): before %.2f us/prompt (%.2f of this thread's CPU),"
                                + " now %.2f (%.2f): %.2fx; index ~%,d and ~%,d requests, %.0f and %.0f MB on disk%n",
                        round,
                        (long) round * PROMPTS,
                        off[0],
                        off[1],
                        on[0],
                        on[1],
                        off[0] / on[0],
                        without.requests(),
                        with.requests(),
                        without.diskBytes() / 1e6,
                        with.diskBytes() / 1e6);
                System.out.println("  before: " + state(without));
                System.out.println("  now:    " + state(with));
            }
        }
    }

    /** The files of each level and the write stalls so far, from RocksDB's statistics. */
    private static String state(AnswerIndex index) {
        StringBuilder out =
                new StringBuilder(index.property("rocksdb.levelstats").replaceAll("\\s+", " "));
        for (String line : index.property("rocksdb.stats").split("\n")) {
            if (line.startsWith("Cumulative stall") || line.startsWith("Interval stall")) {
                out.append(" | ").append(line.trim());
            }
        }
        return out.toString();
    }

    /**
     * The six lookups and two writes of {@link #PROMPTS} new prompts: microseconds a prompt, elapsed and of this
     * thread's CPU (RocksDB's flushes and compactions run on threads of their own).
     */
    private static double[] prompts(AnswerIndex index, int round) {
        String[] ids = new String[PROMPTS];
        for (int i = 0; i < PROMPTS; i++) {
            ids[i] = Ids.hash("req", Integer.toString(round), Integer.toString(i));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < PROMPTS; i++) {
            String id = ids[i];
            long location = AnswerIndex.location(i % 3, (long) round * PROMPTS + i);
            if (index.isPublished(id) || index.storedAt(id).isPresent()) {
                throw new IllegalStateException("a new request is known: " + id);
            }
            index.stored(id, location);
            index.published(id);
            index.stored(id, location); // the log reader: the answer's record, read back
            if (index.published(id)) { // and its mark, already noted
                throw new IllegalStateException("a mark noted twice: " + id);
            }
        }
        return new double[] {
            (System.nanoTime() - start) / 1e3 / PROMPTS, (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / PROMPTS
        };
    }
}
