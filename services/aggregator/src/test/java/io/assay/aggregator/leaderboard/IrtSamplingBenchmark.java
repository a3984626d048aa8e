package io.assay.aggregator.leaderboard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The anchors policy on simulated truth ({@link IrtSampling}), averaged over seeds: the irt view's predicted
 * accuracy on the new items of models that answered a third of them, against full evaluation. Prints figures,
 * asserts nothing: {@code ./mvnw -o test -pl services/aggregator -am -Dtest=IrtSamplingBenchmark
 * -Dassay.bench=irt -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "assay.bench", matches = "irt")
class IrtSamplingBenchmark {
    private static final int SEEDS = 10;

    @Test
    void predictedAgainstFullEvaluation() {
        System.out.println("| models | anchors | history | new items | share | interaction sd | irt MAE (max) | "
                + "naive MAE | oracle MAE | whole-benchmark MAE | new-item calls | saved | view ms |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        row(20, 5, 500, 300, 1.0 / 3, 0.0);
        row(20, 5, 500, 1000, 1.0 / 3, 0.0);
        row(20, 5, 500, 1000, 0.2, 0.0);
        row(20, 5, 0, 1000, 1.0 / 3, 0.0);
        row(20, 5, 500, 1000, 1.0 / 3, 0.5);
        row(100, 10, 500, 1000, 1.0 / 3, 0.0);
    }

    /** Anchors spread over the ranking (the prompt generator's choice) against the best models as anchors. */
    @Test
    void spreadAnchorsAgainstTheBest() {
        System.out.println("| models | anchors | history | new items | share | anchors chosen | irt MAE (max) | "
                + "irt MAE, weakest quarter | naive MAE |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (IrtSampling.Choice choice : IrtSampling.Choice.values()) {
            compared(20, 5, 500, 300, 1.0 / 3, choice);
            compared(20, 5, 100, 1000, 0.2, choice);
            compared(20, 5, 100, 1000, 0.05, choice);
        }
    }

    private static void compared(int models, int anchors, int history, int fresh, double share, IrtSampling.Choice c) {
        double mae = 0;
        double max = 0;
        double weakest = 0;
        double naive = 0;
        for (int s = 0; s < SEEDS; s++) {
            IrtSampling.Result r = IrtSampling.run(models, anchors, history, fresh, share, 0.0, 1000 + s, c);
            mae += r.irtMae() / SEEDS;
            max = Math.max(max, r.irtMax());
            weakest += r.weakestMae() / SEEDS;
            naive += r.naiveMae() / SEEDS;
        }
        System.out.printf(
                java.util.Locale.ROOT,
                "| %d | %d | %d | %d | %.2f | %s | %.2f (%.2f) | %.2f | %.2f |%n",
                models,
                anchors,
                history,
                fresh,
                share,
                c.name().toLowerCase(java.util.Locale.ROOT),
                mae,
                max,
                weakest,
                naive);
    }

    private static void row(int models, int anchors, int history, int fresh, double share, double fit) {
        double mae = 0;
        double max = 0;
        double naive = 0;
        double oracle = 0;
        double whole = 0;
        double millis = 0;
        long full = 0;
        long sampled = 0;
        for (int s = 0; s < SEEDS; s++) {
            IrtSampling.Result r = IrtSampling.run(models, anchors, history, fresh, share, fit, 1000 + s);
            mae += r.irtMae() / SEEDS;
            max = Math.max(max, r.irtMax());
            naive += r.naiveMae() / SEEDS;
            oracle += r.oracleMae() / SEEDS;
            whole += r.wholeMae() / SEEDS;
            millis += r.millis() / SEEDS;
            full += r.callsFull();
            sampled += r.callsSampled();
        }
        System.out.printf(
                java.util.Locale.ROOT,
                "| %d | %d | %d | %d | %.2f | %.1f | %.2f (%.2f) | %.2f | %.2f | %.2f | %d of %d | %.0f%% | %.0f |%n",
                models,
                anchors,
                history,
                fresh,
                share,
                fit,
                mae,
                max,
                naive,
                oracle,
                whole,
                sampled / SEEDS,
                full / SEEDS,
                100.0 * (full - sampled) / full,
                millis);
    }
}
