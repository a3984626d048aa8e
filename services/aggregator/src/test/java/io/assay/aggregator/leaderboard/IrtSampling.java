package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.Rasch;
import io.assay.contracts.Evaluation;
import io.assay.contracts.Judgment;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The anchors policy on simulated truth: models answer as the simulator does (Rasch, σ(skill − difficulty),
 * difficulties uniform on [−2, 2] as {@code SimulationHints} derives them, skills evenly spaced on
 * [{@value #LOW_SKILL}, {@value #HIGH_SKILL}]), optionally with a model × item interaction u ~ N(0, fit²) the
 * fit does not know of. Every model answered the benchmark's {@code history} items; of the {@code fresh} new
 * items, the anchors (chosen for information: evenly spread over the models ranked by their accuracy on the
 * history) answer all, every other model the {@code share} of them the prompt generator's policy draws
 * ({@link Evaluation#asks}). The {@code irt} view is computed over
 * the folded verdicts; its predicted accuracy on the new items is compared with what full evaluation measures
 * (every outcome drawn, the hidden ones included), and with the naive estimate (the model's accuracy on the
 * new items it answered).
 */
final class IrtSampling {
    static final double LOW_SKILL = -1.5;
    static final double HIGH_SKILL = 2.0;
    private static final Instant OLD = Instant.parse("2026-10-01T00:00:00Z");
    private static final Instant NEW = Instant.parse("2026-11-01T00:00:00Z");

    /**
     * One run's figures, in accuracy points (0–100).
     *
     * @param irtMae mean absolute error over the sampled models of the irt prediction against full evaluation
     * @param irtMax the largest of those errors
     * @param naiveMae the same for the model's accuracy on the new items it answered
     * @param oracleMae the same for an oracle that knows every cell's true probability and predicts the hidden
     *     cells by it: the floor, the hidden outcomes' own binomial noise
     * @param wholeMae the irt view's own value (history and new items) against full evaluation of both
     * @param weakestMae the irt MAE over the sampled models in the weakest quarter by true skill
     * @param callsFull new-item calls of full evaluation
     * @param callsSampled new-item calls of the policy
     * @param millis the view's computation, warm-started from the fit before the new items
     */
    record Result(
            double irtMae,
            double irtMax,
            double naiveMae,
            double oracleMae,
            double wholeMae,
            double weakestMae,
            long callsFull,
            long callsSampled,
            double millis) {}

    /** How the anchors are chosen from the models ranked by history accuracy. */
    enum Choice {
        /** Evenly spread over the ranking, as the prompt generator chooses them ({@link Evaluation#spread}). */
        SPREAD,
        /** The best models: what evaluating only the frontier would do, for comparison. */
        BEST
    }

    private IrtSampling() {}

    static Result run(int models, int anchors, int history, int fresh, double share, double fit, long seed) {
        return run(models, anchors, history, fresh, share, fit, seed, Choice.SPREAD);
    }

    static Result run(
            int models, int anchors, int history, int fresh, double share, double fit, long seed, Choice choice) {
        SplittableRandom random = new SplittableRandom(seed);
        int items = history + fresh;
        double[] skill = new double[models];
        for (int m = 0; m < models; m++) {
            skill[m] = LOW_SKILL + (HIGH_SKILL - LOW_SKILL) * m / (models - 1);
        }
        boolean[][] right = new boolean[models][items];
        double[][] truth = new double[models][items];
        for (int i = 0; i < items; i++) {
            double difficulty = -2 + 4 * random.nextDouble();
            for (int m = 0; m < models; m++) {
                double u = fit * random.nextGaussian();
                truth[m][i] = Rasch.probability(skill[m] + u, difficulty);
                right[m][i] = random.nextDouble() < truth[m][i];
            }
        }
        List<String> anchorIds = anchors(right, history, anchors, choice);
        boolean[] anchor = new boolean[models];
        for (int m = 0; m < models; m++) {
            anchor[m] = anchorIds.contains(model(m));
        }
        // the prompt generator's draw: the seed varies the benchmark name, so each run draws anew
        String benchmark = "irt-sim-" + seed;
        Evaluation policy = new Evaluation(Evaluation.ANCHORS, anchorIds, share, null);
        boolean[][] asked = new boolean[models][items];
        long sampled = 0;
        for (int m = 0; m < models; m++) {
            for (int i = 0; i < items; i++) {
                asked[m][i] = i < history || policy.asks(benchmark, item(i), model(m));
                if (i >= history && asked[m][i]) {
                    sampled++;
                }
            }
        }
        List<Judgment> old = new ArrayList<>();
        List<Judgment> all = new ArrayList<>();
        for (int m = 0; m < models; m++) {
            for (int i = 0; i < items; i++) {
                if (asked[m][i]) {
                    Judgment j = Judgments.correctAt(
                            "irt-sim", item(i), model(m), right[m][i], "plain", i < history ? OLD : NEW, NEW);
                    all.add(j);
                    if (i < history) {
                        old.add(j);
                    }
                }
            }
        }
        // the board as it was before the release: the warm start of the fit after it
        view(old);
        long start = System.nanoTime();
        LeaderboardSnapshot board = view(all);
        double millis = (System.nanoTime() - start) / 1e6;

        double irt = 0;
        double naive = 0;
        double oracle = 0;
        double whole = 0;
        double max = 0;
        int counted = 0;
        double weakest = 0;
        int weak = 0;
        for (int m = 0; m < models; m++) {
            if (anchor[m]) {
                continue;
            }
            Row row = row(board, model(m));
            long oldRight = count(right[m], null, 0, history);
            long newRight = count(right[m], null, history, items);
            double full = (double) newRight / fresh;
            double predicted = (row.value() * items - oldRight) / fresh;
            long seen = count(asked[m], null, history, items);
            long seenRight = count(right[m], asked[m], history, items);
            double known = seenRight;
            for (int i = history; i < items; i++) {
                known += asked[m][i] ? 0 : truth[m][i];
            }
            oracle += Math.abs(known / fresh - full);
            double error = Math.abs(predicted - full);
            irt += error;
            max = Math.max(max, error);
            if (m < models / 4) {
                // skills rise with m
                weakest += error;
                weak++;
            }
            naive += Math.abs((seen == 0 ? 0.5 : (double) seenRight / seen) - full);
            whole += Math.abs(row.value() - (double) (oldRight + newRight) / items);
            counted++;
        }
        return new Result(
                100 * irt / counted,
                100 * max,
                100 * naive / counted,
                100 * oracle / counted,
                100 * whole / counted,
                weak == 0 ? Double.NaN : 100 * weakest / weak,
                (long) models * fresh,
                sampled,
                millis);
    }

    /** How many of {@code flags[from..to)} are set (and set in {@code and}, when given). */
    private static long count(boolean[] flags, boolean[] and, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            n += flags[i] && (and == null || and[i]) ? 1 : 0;
        }
        return n;
    }

    /**
     * {@code n} models of the ranking by accuracy on the history: evenly spread over it, as the prompt
     * generator chooses them from the {@code irt} ranking ({@link Evaluation#spread}), or the best.
     */
    static List<String> anchors(boolean[][] right, int history, int n, Choice choice) {
        int models = right.length;
        Integer[] byAccuracy = new Integer[models];
        long[] score = new long[models];
        for (int m = 0; m < models; m++) {
            byAccuracy[m] = m;
            for (int i = 0; i < history; i++) {
                score[m] += right[m][i] ? 1 : 0;
            }
        }
        Arrays.sort(
                byAccuracy, Comparator.comparingLong((Integer m) -> score[m]).thenComparing(m -> m));
        List<String> ranked = Arrays.stream(byAccuracy).map(IrtSampling::model).toList();
        return choice == Choice.SPREAD ? Evaluation.spread(ranked, n) : ranked.subList(Math.max(0, models - n), models);
    }

    private static LeaderboardSnapshot view(List<Judgment> judgments) {
        List<Slot> slots = FoldTest.slots(judgments);
        return Leaderboards.build(
                "irt-sim", slots, new Leaderboards.Context(Map.of(), null), ViewQuery.of(View.IRT), NEW);
    }

    private static Row row(LeaderboardSnapshot board, String model) {
        return board.rows().stream()
                .filter(r -> r.modelId().equals(model))
                .findFirst()
                .orElseThrow();
    }

    private static String model(int m) {
        return String.format("model-%02d", m);
    }

    private static String item(int i) {
        return String.format("item-%05d", i);
    }
}
