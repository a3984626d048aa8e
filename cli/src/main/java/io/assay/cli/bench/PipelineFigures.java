package io.assay.cli.bench;

import io.assay.cli.stack.Component;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The figures {@code bench pipeline} prints, computed from what one run measured: Assay's evaluations
 * per second (judgments on the leaderboard per second), the CPU each process spent per evaluation, the
 * relay's records per second measured on the same broker (the median of its runs), and the ratio of the two.
 *
 * @param warmup what the warm-up before the measured run did
 * @param items items fed
 * @param models simulated models registered
 * @param judging how each evaluation was judged
 * @param runs Assay's measured runs, one after the other, each on a benchmark of its own (at least one): the figures
 *     are the median run's ({@link #run})
 * @param sizes mean value sizes on Assay's topics, which the relay's messages copy
 * @param partitions partitions of each per-item topic (Assay's and the relay's)
 * @param relayRuns the relay's runs on the same broker, one after the other after Assay's: the first warms it up
 *     and is not counted (at least two)
 */
public record PipelineFigures(
        PipelineBench.WarmupFigures warmup,
        int items,
        int models,
        PipelineBench.Judging judging,
        List<AssayRun> runs,
        Relay.Sizes sizes,
        int partitions,
        List<RelayRun> relayRuns) {
    /** The goal of issue 15, in evaluations per second on the 2-core machine. */
    public static final double GOAL_PER_SECOND = 5_000;
    /** The goal of issue 15, as a share of the relay's ceiling. */
    public static final double GOAL_RATIO = 0.25;

    /**
     * One run of the relay.
     *
     * @param result its records and times, and its JVM's CPU
     * @param brokerCpuSeconds the broker's CPU seconds during it
     * @param writes what the broker's logs gained during it
     */
    public record RelayRun(Relay.Result result, double brokerCpuSeconds, BrokerWrites writes) {}

    /**
     * One measured run of Assay.
     *
     * @param feedSeconds from the first item sent to the last one acknowledged by the broker
     * @param seconds from the first item sent to the leaderboard counting every evaluation
     * @param afterFeed evaluations the leaderboard counted after the feed ended
     * @param cpuSeconds CPU seconds each process (services and broker) spent between the two samples
     *     taken just before the feed and just after the last evaluation (start-up excluded)
     * @param jitCpuSeconds of those, the seconds each service's JIT compiler threads spent: code still being
     *     compiled after the warm-up, a cost a long-running service no longer pays (NaN where not read)
     * @param lag each consumer group's lag when the last judgment was counted, as the aggregator reports it
     * @param drainSeconds how long after that every stage had consumed its input (the CPU was sampled then),
     *     NaN when it had not within the bench's wait
     * @param writes what the broker's logs gained per topic from the first sample to the second (the same two
     *     moments as {@code cpuSeconds}): Assay's records, transaction markers and changelogs
     */
    public record AssayRun(
            double feedSeconds,
            double seconds,
            long afterFeed,
            Map<String, Double> cpuSeconds,
            Map<String, Double> jitCpuSeconds,
            Map<String, Long> lag,
            double drainSeconds,
            BrokerWrites writes) {
        /** Evaluations per second of {@code evaluations}, feed included. */
        double perSecond(long evaluations) {
            return evaluations / seconds;
        }

        /** Evaluations per second counted after the feed ended (feed included when the feed lasted to the end). */
        double perSecondAfterFeed(long evaluations) {
            double s = seconds - feedSeconds;
            return s <= 0 ? perSecond(evaluations) : afterFeed / s;
        }
    }

    /** Checks there is a measured run of Assay, and a warm-up run and a measured one of the relay. */
    public PipelineFigures {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("at least one measured run of Assay is needed");
        }
        if (relayRuns.size() < 2) {
            throw new IllegalArgumentException("a relay warm-up run and at least one measured run are needed");
        }
        runs = List.copyOf(runs);
        relayRuns = List.copyOf(relayRuns);
    }

    /**
     * Assay's median measured run by evaluations per second feed included (the lower middle one of an even number):
     * its CPU, lag and writes are the ones printed. After the warm-up until quiet, single runs of the same bench
     * moved 4,213–5,809 evaluations/s (BENCHMARKS.md, "Pipeline throughput", session 49).
     */
    public AssayRun run() {
        List<AssayRun> sorted = runs.stream()
                .sorted(Comparator.comparingDouble(r -> r.perSecond(evaluations())))
                .toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** The relay's runs after its warm-up run. */
    public List<RelayRun> measuredRelayRuns() {
        return relayRuns.subList(1, relayRuns.size());
    }

    /**
     * The relay's median measured run by records per second feed included (the lower middle one of an even number):
     * the ceiling the ratio is taken against. One run lasts seconds, and runs of the same bench moved up to twice
     * as much as each other (BENCHMARKS.md), so one alone would make the ratio the relay's noise.
     */
    public RelayRun medianRelayRun() {
        return medianBy(Relay.Result::perSecond);
    }

    /** The measured run in the middle by {@code rate} (the lower middle one of an even number). */
    private RelayRun medianBy(ToDoubleFunction<Relay.Result> rate) {
        List<RelayRun> sorted = measuredRelayRuns().stream()
                .sorted(Comparator.comparingDouble(r -> rate.applyAsDouble(r.result())))
                .toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** The median run's figures ({@link #medianRelayRun}). */
    public Relay.Result relay() {
        return medianRelayRun().result();
    }

    /** The median of the measured relay runs' records per second after their feed ended. */
    public double relayPerSecondAfterFeed() {
        return medianBy(Relay.Result::perSecondAfterFeed).result().perSecondAfterFeed();
    }

    /** Evaluations: items × models (one prompt format, one sample, one judge). */
    public long evaluations() {
        return (long) items * models;
    }

    /** Evaluations per second feed included, of the median run ({@link #run}). */
    public double perSecond() {
        return run().perSecond(evaluations());
    }

    /**
     * The median of the measured runs' evaluations per second counted after their feed ended: the pipeline without
     * the CLI's feed competing.
     */
    public double perSecondAfterFeed() {
        List<Double> sorted = runs.stream()
                .map(r -> r.perSecondAfterFeed(evaluations()))
                .sorted()
                .toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** CPU milliseconds a process spent per evaluation in the median run. */
    public double cpuMsPerEvaluation(String process) {
        return run().cpuSeconds().getOrDefault(process, Double.NaN) * 1000 / evaluations();
    }

    /** CPU milliseconds a service's JIT compiler threads spent per evaluation in the median run. */
    public double jitCpuMsPerEvaluation(String service) {
        return run().jitCpuSeconds().getOrDefault(service, Double.NaN) * 1000 / evaluations();
    }

    /** CPU milliseconds of the four services together per evaluation (the broker excluded), in the median run. */
    public double serviceCpuMsPerEvaluation() {
        return servicesSum(run().cpuSeconds()) * 1000 / evaluations();
    }

    /** The same without what their JIT compiler threads spent: the services' cost once their code is compiled. */
    public double serviceCpuMsPerEvaluationWithoutJit() {
        return (servicesSum(run().cpuSeconds()) - servicesSum(run().jitCpuSeconds())) * 1000 / evaluations();
    }

    /** The sum over the four services (the broker left out) of per-process figures, keyed by component name. */
    static double servicesSum(Map<String, Double> seconds) {
        return seconds.entrySet().stream()
                .filter(e -> !e.getKey().equals(Component.KAFKA.name()))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }

    /** Assay's evaluations per second over the relay's median run's records per second, both feed included. */
    public double ratio() {
        return perSecond() / relay().perSecond();
    }

    /** The same ratio with both figures counted after their feed ended (the relay's median after its feed). */
    public double ratioAfterFeed() {
        return perSecondAfterFeed() / relayPerSecondAfterFeed();
    }

    /** What the warm-up did and what the JIT's share means, for the line of what the figures hide. */
    String warmupText() {
        if (warmup.rounds() == 0) {
            return "no warm-up (--warmup 0): the JIT's compilation of the services' code included, and shown per"
                    + " service";
        }
        String share = Double.isNaN(warmup.lastJitShare())
                ? "not read"
                : String.format(Locale.ROOT, "%.0f%%", 100 * warmup.lastJitShare());
        String last = warmup.rounds() == 1 ? "in it" : "in its last round";
        return String.format(
                        Locale.ROOT,
                        "a warm-up of %,d items on other benchmarks (%d round%s, %.0f s; the compiler threads' share of"
                                + " the services' CPU %s %s",
                        warmup.items(),
                        warmup.rounds(),
                        warmup.rounds() == 1 ? "" : "s",
                        warmup.seconds(),
                        last,
                        share)
                + (warmup.quiet() ? ": quiet)" : ")")
                + "; JIT compilation after it included, and shown per service";
    }

    private String rates(AssayRun r) {
        return String.format(
                Locale.ROOT, "%,.0f / %,.0f", r.perSecond(evaluations()), r.perSecondAfterFeed(evaluations()));
    }

    private static String rates(RelayRun r) {
        return String.format(
                Locale.ROOT, "%,.0f / %,.0f", r.result().perSecond(), r.result().perSecondAfterFeed());
    }

    /** Prints the figures, what they hide, and the goals. */
    public void print(PrintWriter out, String load) {
        out.printf(
                Locale.ROOT,
                "Assay: %,d items × %d zero-latency sim models = %,d evaluations (judgments on the leaderboard), %s%n",
                items,
                models,
                evaluations(),
                judging == PipelineBench.Judging.LLM
                        ? "each judged by a zero-latency sim LLM judge (score): two model calls an evaluation"
                        : "each judged against the item's reference answer: one model call an evaluation");
        AssayRun run = run();
        out.printf(
                Locale.ROOT,
                "  %d measured run%s, one after the other, each on a benchmark of its own; the median's figures%n",
                runs.size(),
                runs.size() == 1 ? "" : "s");
        out.printf(
                Locale.ROOT,
                "  evaluations/s feed included / after the feed ended: %s%n",
                runs.stream().map(this::rates).collect(Collectors.joining(", ")));
        out.printf(
                Locale.ROOT,
                "  %,.0f evaluations/s feed included (%.2f s; feed %.2f s); %,.0f/s after the feed ended (the median of"
                        + " the runs'; this run's %,d in %.2f s)%n",
                perSecond(),
                run.seconds(),
                run.feedSeconds(),
                perSecondAfterFeed(),
                run.afterFeed(),
                run.seconds() - run.feedSeconds());
        out.println("  CPU per evaluation (start-up excluded), and what the JIT compiler threads took of it:");
        run.cpuSeconds()
                .forEach((process, cpu) -> out.printf(
                        Locale.ROOT,
                        "    %-17s %7.3f ms  (%.1f s)%s%n",
                        process,
                        cpuMsPerEvaluation(process),
                        cpu,
                        run.jitCpuSeconds().containsKey(process)
                                ? String.format(Locale.ROOT, "  JIT %.3f ms", jitCpuMsPerEvaluation(process))
                                : ""));
        out.printf(
                Locale.ROOT,
                "    %-17s %7.3f ms  (%.3f ms without the JIT's)%n",
                "four services",
                serviceCpuMsPerEvaluation(),
                serviceCpuMsPerEvaluationWithoutJit());
        out.println("  lag when the last judgment was counted: "
                + (run.lag().isEmpty()
                        ? "(the aggregator did not report it)"
                        : run.lag().entrySet().stream()
                                .map(e -> e.getKey() + " " + e.getValue())
                                .reduce((a, b) -> a + ", " + b)
                                .orElse("")));
        out.println(
                Double.isNaN(run.drainSeconds())
                        ? "  the stages had not consumed their input a minute later (CPU sampled then)"
                        : String.format(
                                Locale.ROOT,
                                "  every stage had consumed its input %.1f s later (CPU sampled then)",
                                run.drainSeconds()));
        out.println("  broker writes per evaluation (log end offsets and sizes gained, transaction markers and "
                + "changelogs included): " + run.writes().perUnit(evaluations(), 8));
        RelayRun median = medianRelayRun();
        Relay.Result relay = median.result();
        List<RelayRun> measured = measuredRelayRuns();
        out.printf(
                Locale.ROOT,
                "Relay (ceiling, same broker, after Assay's runs): %,d records through three hops, a warm-up run and %d"
                        + " measured, one after the other; the median's figures%n",
                relay.records(),
                measured.size());
        out.printf(
                Locale.ROOT,
                "  records/s feed included / after the feed ended: warm-up (not counted) %s; measured %s%n",
                rates(relayRuns.get(0)),
                measured.stream().map(PipelineFigures::rates).collect(Collectors.joining(", ")));
        out.printf(
                Locale.ROOT,
                "  %,.0f records/s feed included (%.2f s; feed %.2f s); %,.0f/s after the feed ended (the median of the"
                        + " measured runs')%n",
                relay.perSecond(),
                relay.seconds(),
                relay.feedSeconds(),
                relayPerSecondAfterFeed());
        out.printf(
                Locale.ROOT,
                "  CPU per record: relay JVM %.3f ms, broker %.3f ms%n",
                relay.cpuSeconds() * 1000 / relay.records(),
                median.brokerCpuSeconds() * 1000 / relay.records());
        out.println("  broker writes per record: " + median.writes().perUnit(relay.records(), 5));
        out.printf(
                Locale.ROOT,
                "Assay / ceiling: %.1f%% feed included, %.1f%% after the feed%n",
                100 * ratio(),
                100 * ratioAfterFeed());
        out.printf(
                Locale.ROOT,
                "Goals (issue 15): >= %,.0f evaluations/s: %s; >= %.0f%% of the ceiling: %s%n",
                GOAL_PER_SECOND,
                perSecond() >= GOAL_PER_SECOND ? "met" : "not met",
                100 * GOAL_RATIO,
                ratio() >= GOAL_RATIO ? "met" : "not met");
        out.printf(
                Locale.ROOT,
                "What the figures hide: start-up excluded from CPU and time; %s; "
                        + "message sizes (mean bytes) item %d, prompt %d, response %d, judgment %d; %d partitions "
                        + "per topic; one broker, every process on this machine; %s; load %s%n",
                warmupText(),
                sizes.item(),
                sizes.prompt(),
                sizes.response(),
                sizes.judgment(),
                partitions,
                judging == PipelineBench.Judging.LLM
                        ? "an evaluation judged by an LLM judge takes five hops (items, prompts, responses, judge"
                                + " prompts, judge responses, judgments) against the relay's three"
                        : "an evaluation takes three hops, as the relay's records do",
                load);
        out.flush();
    }
}
