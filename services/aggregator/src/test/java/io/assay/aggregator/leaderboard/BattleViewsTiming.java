package io.assay.aggregator.leaderboard;

import io.assay.contracts.JudgmentKind;
import io.assay.contracts.PairwiseOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Run by hand, not by the build: {@code bt} and {@code elo} answered by {@link TalliedViews} at 1,000,000
 * pairwise judgments of 100 models against 3 baselines on 10,000 items (one judge; true ratings
 * N(0, 200²), 10% ties, 1% unparseable), folded into {@link BenchmarkTallies} in ledger order. Prints the
 * fold's CPU per judgment (all the tallies, so bt's counts and elo's update), then each view with the
 * default settings (stability lag 100) and without the tau, first and again; then elo after one battle
 * that arrives 10 places out of ledger order (a replay from the checkpoint before it). Prints the load average.
 *
 * <pre>
 * ./mvnw -o -q test-compile -pl services/aggregator -am
 * java -cp "services/aggregator/target/classes:services/aggregator/target/test-classes:$(cat cp.txt)" \
 *   io.assay.aggregator.leaderboard.BattleViewsTiming
 * </pre>
 *
 * (cp.txt: {@code ./mvnw -o -q dependency:build-classpath -pl services/aggregator -Dmdep.outputFile=cp.txt}).
 */
public final class BattleViewsTiming {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private BattleViewsTiming() {}

    /** Prints the figures. */
    public static void main(String[] args) throws IOException {
        System.out.println(
                "load average: " + Files.readString(Path.of("/proc/loadavg")).trim());
        SplittableRandom random = new SplittableRandom(1);
        double[] truth = new double[103];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = 200 * random.nextGaussian();
        }
        BenchmarkTallies tallies = new BenchmarkTallies();
        int n = 1_000_000;
        long cpu = 0;
        for (int t = 0; t < n; t++) {
            int a = random.nextInt(100);
            int b = 100 + random.nextInt(3);
            double p = 1 / (1 + Math.pow(10, (truth[b] - truth[a]) / 400));
            PairwiseOutcome outcome = random.nextDouble() < 0.1
                    ? PairwiseOutcome.TIE
                    : random.nextDouble() < p ? PairwiseOutcome.BETTER : PairwiseOutcome.WORSE;
            Slot s = slot(
                    "j" + t,
                    "item" + random.nextInt(10_000),
                    "m" + a,
                    "m" + b,
                    outcome,
                    random.nextInt(100) == 0,
                    START.plusSeconds(t));
            long start = System.nanoTime();
            Tallying.replace(tallies, "k" + t, null, s);
            cpu += System.nanoTime() - start;
        }
        System.out.printf("fold: %.2f us per judgment (all tallies)%n", cpu / 1e3 / n);
        Leaderboards.Context ctx = new Leaderboards.Context(Map.of(), null);
        for (ViewQuery q : new ViewQuery[] {
            ViewQuery.of(View.BT),
            new ViewQuery(View.BT, null, null, null, null, null, false, 0),
            ViewQuery.of(View.ELO),
            new ViewQuery(View.ELO, null, null, null, null, null, false, 0)
        }) {
            for (int run = 0; run < 3; run++) {
                long start = System.nanoTime();
                TalliedViews.build("b", tallies, Tallying.stored(tallies), ctx, q, START)
                        .orElseThrow();
                System.out.printf(
                        "%s lag %d, call %d: %.1f ms%n",
                        q.view().wireName(), q.stabilityLag(), run + 1, (System.nanoTime() - start) / 1e6);
            }
        }
        // Judged before the 10 latest battles: a replay from the checkpoint before it (one older than the
        // tails hold would leave elo to the slots).
        Slot late = slot("late", "item1", "m1", "m100", PairwiseOutcome.BETTER, false, START.plusSeconds(n - 10));
        Tallying.replace(tallies, "late", null, late);
        ViewQuery elo = new ViewQuery(View.ELO, null, null, null, null, null, false, 0);
        for (int run = 0; run < 2; run++) {
            long start = System.nanoTime();
            TalliedViews.build("b", tallies, Tallying.stored(tallies), ctx, elo, START)
                    .orElseThrow();
            System.out.printf(
                    "elo lag 0 after an out-of-order battle, call %d: %.1f ms%n",
                    run + 1, (System.nanoTime() - start) / 1e6);
        }
        System.out.println(
                "load average: " + Files.readString(Path.of("/proc/loadavg")).trim());
    }

    /** A pairwise verdict of {@code model} against {@code baseline} judged {@code at}. */
    static Slot slot(
            String id,
            String item,
            String model,
            String baseline,
            PairwiseOutcome outcome,
            boolean unparseable,
            Instant at) {
        return new Slot(
                id,
                1,
                false,
                null,
                unparseable,
                item,
                model,
                JudgmentKind.PAIRWISE,
                null,
                "judge",
                null,
                outcome,
                baseline,
                100,
                90,
                false,
                null,
                START,
                at,
                "req",
                null,
                null,
                null,
                null,
                "1",
                null,
                null,
                null,
                null,
                null,
                null);
    }
}
