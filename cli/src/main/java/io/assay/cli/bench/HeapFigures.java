package io.assay.cli.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code bench heap} measured: per phase, what was imported and streamed and how long it took;
 * per service, the heap after a full collection at the start, at the first checkpoint (a tenth of the
 * history and of the evaluations) and at the end, and the verdict on issue 16's goal: the heap at the
 * end at most {@link #GOAL} times the heap at the first checkpoint, with no OutOfMemoryError and no death.
 *
 * @param judgments judgments of history asked for
 * @param evaluations evaluations asked for
 * @param models the simulated models streamed to
 * @param phases the phases run, in order
 * @param services the four services, in the order printed
 * @param grown per service, the classes whose live bytes grew most from the first checkpoint to the end
 */
public record HeapFigures(
        long judgments,
        List<String> kinds,
        long evaluations,
        int models,
        List<Phase> phases,
        List<Service> services,
        Map<String, List<Growth>> grown) {
    /** The goal: the heap at the end within 20% of that at the first checkpoint (issue 16). */
    public static final double GOAL = 1.20;

    /** A figure not taken (the service was dead, or the run stopped before the checkpoint). */
    public static final long NONE = -1;

    /**
     * One phase: history imported, then evaluations streamed, each waited for.
     *
     * @param number 1-based
     * @param history judgments of history imported in this phase
     * @param historyTotal judgments of history imported by the end of this phase
     * @param evaluations evaluations streamed in this phase
     * @param evaluationsTotal evaluations streamed by the end of this phase
     * @param importSeconds publishing the history through {@code assay import judgments}' path (validation included)
     * @param foldSeconds from the end of the import until the aggregator counted the whole history, NaN if not waited for
     * @param streamSeconds from the first item sent until the last evaluation was judged (and counted)
     * @param load the load averages (1, 5, 15 min) at the end of the phase
     * @param stopped why the phase did not complete, or null when it did
     */
    public record Phase(
            int number,
            long history,
            long historyTotal,
            long evaluations,
            long evaluationsTotal,
            double importSeconds,
            double foldSeconds,
            double streamSeconds,
            String load,
            String stopped) {}

    /**
     * One service's heap.
     *
     * @param name the service
     * @param maxHeap its heap cap in bytes ({@code -XX:MaxHeapSize}), {@link #NONE} if not read
     * @param collector its garbage collector
     * @param start heap used after a full GC once the stack was ready, in bytes
     * @param first the same at the first checkpoint
     * @param end the same at the end
     * @param rssFirst its resident set at the first checkpoint
     * @param rssEnd its resident set at the end
     * @param failure what went wrong (died, OutOfMemoryError logged, and in which phase), or null
     */
    public record Service(
            String name,
            long maxHeap,
            String collector,
            long start,
            long first,
            long end,
            long rssFirst,
            long rssEnd,
            String failure) {
        /** The heap at the end over the heap at the first checkpoint, NaN when either is missing. */
        public double ratio() {
            return first > 0 && end >= 0 ? end / (double) first : Double.NaN;
        }

        /** Whether the service met the goal: both figures taken, ratio at most {@link #GOAL}, no failure. */
        public boolean pass() {
            return failure == null && !Double.isNaN(ratio()) && ratio() <= GOAL;
        }
    }

    /**
     * A class's live objects at the first checkpoint and at the end ({@code jcmd GC.class_histogram}).
     *
     * @param className the class
     * @param bytesFirst its live bytes at the first checkpoint
     * @param bytesEnd its live bytes at the end
     * @param instancesFirst its live instances at the first checkpoint
     * @param instancesEnd its live instances at the end
     */
    public record Growth(String className, long bytesFirst, long bytesEnd, long instancesFirst, long instancesEnd) {
        /** Bytes gained. */
        public long bytesGrown() {
            return bytesEnd - bytesFirst;
        }
    }

    /** Whether every service met the goal and every phase completed. */
    public boolean pass() {
        return phases.stream().allMatch(p -> p.stopped() == null)
                && !services.isEmpty()
                && services.stream().allMatch(Service::pass);
    }

    /** Prints the phases and the per-service table. */
    public void print(PrintWriter out) {
        out.println();
        out.printf(
                Locale.ROOT,
                "Heap with history: %,d judgments of history (%s verdicts of 100 models, imported), "
                        + "%,d evaluations streamed (%d zero-latency SIMULATED models)%n",
                judgments,
                String.join(", ", kinds),
                evaluations,
                models);
        out.println();
        out.println("phase  history imported (total)   evaluations streamed (total)   import s   fold s   "
                + "stream s   load average at its end");
        for (Phase p : phases) {
            out.printf(
                    Locale.ROOT,
                    "%-6d %-26s %-30s %8s %8s %10s   %s%n",
                    p.number(),
                    String.format(Locale.ROOT, "%,d (%,d)", p.history(), p.historyTotal()),
                    String.format(Locale.ROOT, "%,d (%,d)", p.evaluations(), p.evaluationsTotal()),
                    seconds(p.importSeconds()),
                    seconds(p.foldSeconds()),
                    seconds(p.streamSeconds()),
                    p.load());
            if (p.stopped() != null) {
                out.println("       stopped: " + p.stopped());
            }
        }
        out.println();
        out.printf(
                Locale.ROOT,
                "Heap used after a full GC (jcmd GC.run, then GC.heap_info: young + old; the lowest of 4), at the start, "
                        + "at the first "
                        + "checkpoint (%s) and at the end (%s); goal: end / first <= %.2f, no OutOfMemoryError:%n",
                checkpoint(phases.isEmpty() ? null : phases.get(0)),
                checkpoint(phases.isEmpty() ? null : phases.get(phases.size() - 1)),
                GOAL);
        out.println();
        out.println("service            cap          GC       start        first        end          end/first  "
                + "goal   RSS first    RSS end      OutOfMemoryError / died");
        for (Service s : services) {
            out.printf(
                    Locale.ROOT,
                    "%-18s %-12s %-8s %-12s %-12s %-12s %-10s %-6s %-12s %-12s %s%n",
                    s.name(),
                    HeapReading.mib(s.maxHeap()),
                    s.collector(),
                    HeapReading.mib(s.start()),
                    HeapReading.mib(s.first()),
                    HeapReading.mib(s.end()),
                    Double.isNaN(s.ratio()) ? "—" : String.format(Locale.ROOT, "%.3f", s.ratio()),
                    s.pass() ? "PASS" : "FAIL",
                    HeapReading.mib(s.rssFirst()),
                    HeapReading.mib(s.rssEnd()),
                    s.failure() == null ? "no" : s.failure());
        }
        if (grown.values().stream().anyMatch(g -> !g.isEmpty())) {
            out.println();
            out.println("What grew from the first checkpoint to the end (jcmd GC.class_histogram: live objects after a "
                    + "full GC), the largest gains per service:");
            for (Service s : services) {
                List<Growth> g = grown.getOrDefault(s.name(), List.of());
                if (g.isEmpty()) {
                    continue;
                }
                out.println("  " + s.name() + ":");
                for (Growth c : g) {
                    out.printf(
                            Locale.ROOT,
                            "    +%-11s %-12s -> %-12s %,12d -> %,d instances  %s%n",
                            HeapReading.mib(c.bytesGrown()),
                            HeapReading.mib(c.bytesFirst()),
                            HeapReading.mib(c.bytesEnd()),
                            c.instancesFirst(),
                            c.instancesEnd(),
                            c.className());
                }
            }
        }
        out.println();
        out.println(pass() ? "Every service met the goal." : "Goal NOT met: " + failing());
        out.flush();
    }

    /** The services that did not meet the goal, and the phases that stopped, in words. */
    String failing() {
        StringBuilder b = new StringBuilder();
        for (Service s : services) {
            if (!s.pass()) {
                b.append(b.isEmpty() ? "" : "; ").append(s.name()).append(": ");
                if (s.failure() != null) {
                    b.append(s.failure());
                } else if (Double.isNaN(s.ratio())) {
                    b.append("heap not measured at both checkpoints");
                } else {
                    b.append(String.format(Locale.ROOT, "grew %.1f%%", (s.ratio() - 1) * 100));
                }
            }
        }
        for (Phase p : phases) {
            if (p.stopped() != null) {
                b.append(b.isEmpty() ? "" : "; ")
                        .append("phase ")
                        .append(p.number())
                        .append(" stopped");
            }
        }
        return b.toString();
    }

    private static String checkpoint(Phase p) {
        return p == null
                ? "—"
                : String.format(
                        Locale.ROOT,
                        "%,d judgments of history, %,d evaluations",
                        p.historyTotal(),
                        p.evaluationsTotal());
    }

    private static String seconds(double s) {
        return Double.isNaN(s) ? "—" : String.format(Locale.ROOT, "%.1f", s);
    }
}
