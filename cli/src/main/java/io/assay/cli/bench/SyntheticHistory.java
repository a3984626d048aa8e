package io.assay.cli.bench;

import io.assay.cli.bench.ViewsBench.Kind;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.Origin;
import io.assay.contracts.PairwiseOutcome;
import io.assay.contracts.Protocol;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The simulated judgments of {@code assay bench views}: a history of M models of known skill, as the events a
 * judge (or an import) publishes, so that the in-process bench folds exactly what {@code --freshness} publishes to
 * the packaged aggregator. Judgment {@code i} is of item {@code q<i / P>} (category {@code c<item mod C>}), for
 * model {@code m<(37 · item + i mod P) mod M>}, so each model shares items with its neighbours; 1% are unparseable
 * (no verdict). Model k's skill is drawn uniformly in [0.2, 0.9] from the seed. Draws are sequential: ask for the
 * judgments in order, from 0.
 */
final class SyntheticHistory {
    /** The pairwise history's baselines, of ability −0.5, 0 and 0.5; the preference history's is the middle one. */
    static final List<String> BASELINES = List.of("base-a", "base-b", "base-c");

    private static final double[] BASELINE_ABILITY = {-0.5, 0.0, 0.5};
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final JudgeSpec EXACT =
            new JudgeSpec("exact", Protocol.REFERENCE, "exact", "1", null, null, null, null, null);
    private static final JudgeSpec GRADER =
            new JudgeSpec("grader", Protocol.SCORE, "llm", "1", null, null, null, null, null);
    private static final JudgeSpec WB_JUDGE =
            new JudgeSpec("wb-judge", Protocol.PAIRWISE, "llm", "1", null, null, BASELINES, null, null);
    private static final JudgeSpec ALPACA_JUDGE = new JudgeSpec(
            "alpaca-judge", Protocol.PREFERENCE, "llm", "1", null, null, BASELINES.subList(1, 2), null, null);

    private final String benchmark;
    private final int models;
    private final int perItem;
    private final int categories;
    private final Kind kind;
    private final double[] skill;
    private final SplittableRandom random;
    private int next;

    /**
     * @param benchmark the judgments' benchmark
     * @param models M
     * @param perItem P, the models judged on each item
     * @param categories C
     * @param seed the seed of the skills and verdicts
     * @param kind the verdicts' kind
     */
    SyntheticHistory(String benchmark, int models, int perItem, int categories, long seed, Kind kind) {
        this.benchmark = benchmark;
        this.models = models;
        this.perItem = perItem;
        this.categories = categories;
        this.kind = kind;
        this.random = new SplittableRandom(seed);
        this.skill = new double[models];
        for (int m = 0; m < models; m++) {
            skill[m] = 0.2 + 0.7 * random.nextDouble();
        }
    }

    /** The item (its number) judgment {@code i} is of. */
    int item(int i) {
        return i / perItem;
    }

    /**
     * Judgment {@code i}, the next in order: correct with the model's skill (choices: with its position bias, the
     * position the correct choice was shown at in {@code details.correctShownIndex}); or a 1–10 score around 1 +
     * 9·skill, 2% of answers truncated; or a pairwise outcome or a preference, see {@link #compared}.
     *
     * @throws IllegalStateException when asked out of order (the draws are sequential)
     */
    Judgment judgment(int i) {
        if (i != next) {
            throw new IllegalStateException("judgment " + i + " asked for, " + next + " is next");
        }
        next++;
        int item = item(i);
        int model = (item * 37 + i % perItem) % models;
        String category = "c" + item % categories;
        boolean unparseable = random.nextInt(100) == 0;
        if (kind == Kind.PAIRWISE || kind == Kind.PREFERENCES) {
            return compared(i, item, model, category, unparseable);
        }
        if (kind == Kind.SCORES) {
            double score = Math.max(1, Math.min(10, Math.round(1 + 9 * skill[model] + 2 * random.nextGaussian())));
            boolean truncated = random.nextInt(50) == 0;
            return judgment(
                    i,
                    item,
                    model,
                    category,
                    GRADER,
                    100,
                    JudgmentKind.SCORE,
                    null,
                    unparseable ? null : new Judgment.Score(score, 1, 10),
                    null,
                    null,
                    truncated,
                    unparseable,
                    null);
        }
        Integer position = kind == Kind.CHOICES ? random.nextInt(4) : null;
        // An A-biased model: right more often where the correct choice is shown first, less elsewhere.
        double bias = position == null || model % 10 != 0 ? 0 : position == 0 ? 0.2 : -0.07;
        boolean correct = !unparseable && random.nextDouble() < skill[model] + bias;
        return judgment(
                i,
                item,
                model,
                category,
                EXACT,
                100,
                JudgmentKind.CORRECT,
                unparseable ? null : correct,
                null,
                null,
                null,
                false,
                unparseable,
                position == null ? null : Map.of("correctShownIndex", position));
    }

    /**
     * A pairwise verdict or a preference of model {@code model} against a baseline (pairwise: baseline
     * {@code (item + i) mod 3}, of ability −0.5, 0 or 0.5; preference: the middle one). With the model's
     * ability θ = 3·(skill − 0.55) and d = θ − θ_baseline + N(0, 1) the item's fit, the pairwise outcome is
     * d plus a standard logistic draw cut at ±0.5 (tie) and ±2 (much better / worse), as {@code
     * CoverageSimulation}; the preference is 1 + σ(d + logistic), 1% none (0). Answer lengths ~ 900 + 400·N(0,
     * 1) code points (at least 20), the longer answer a little likelier to win (0.1 per 1,000 characters on
     * d); 2% truncated. Preferences carry the baseline, its answer's length and the item's instruction difficulty
     * N(0, 1) in {@code details}, as an AlpacaEval import does; an unparseable pairwise verdict carries no
     * comparison (the contract wants an outcome in one), as the judge publishes it.
     */
    private Judgment compared(int i, int item, int model, String category, boolean unparseable) {
        boolean pairwise = kind == Kind.PAIRWISE;
        int b = pairwise ? (item + i) % BASELINES.size() : 1;
        int answer = Math.max(20, (int) Math.round(900 + 400 * random.nextGaussian()));
        int baseline = Math.max(20, (int) Math.round(900 + 400 * random.nextGaussian()));
        double d = 3 * (skill[model] - 0.55)
                - BASELINE_ABILITY[b]
                + random.nextGaussian()
                + (answer - baseline) / 10_000.0;
        double z = d + logistic(random);
        if (pairwise) {
            PairwiseOutcome outcome = z > 2
                    ? PairwiseOutcome.MUCH_BETTER
                    : z > 0.5
                            ? PairwiseOutcome.BETTER
                            : z >= -0.5
                                    ? PairwiseOutcome.TIE
                                    : z >= -2 ? PairwiseOutcome.WORSE : PairwiseOutcome.MUCH_WORSE;
            boolean truncated = random.nextInt(50) == 0;
            return judgment(
                    i,
                    item,
                    model,
                    category,
                    WB_JUDGE,
                    answer,
                    JudgmentKind.PAIRWISE,
                    null,
                    null,
                    unparseable
                            ? null
                            : new Judgment.Pairwise(outcome, BASELINES.get(b), null, baseline, "subject_first", null),
                    null,
                    truncated,
                    unparseable,
                    null);
        }
        Double preference = unparseable ? null : random.nextInt(100) == 0 ? 0.0 : 1 + 1 / (1 + Math.exp(-z));
        boolean truncated = random.nextInt(50) == 0;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("baselineModel", BASELINES.get(b));
        details.put("baselineChars", baseline);
        details.put("instructionDifficulty", gamma(item));
        return judgment(
                i,
                item,
                model,
                category,
                ALPACA_JUDGE,
                answer,
                JudgmentKind.PREFERENCE,
                null,
                null,
                null,
                preference,
                truncated,
                unparseable,
                details);
    }

    private Judgment judgment(
            int i,
            int item,
            int model,
            String category,
            JudgeSpec judge,
            int answerChars,
            JudgmentKind kind,
            Boolean correct,
            Judgment.Score score,
            Judgment.Pairwise pairwise,
            Double preference,
            boolean truncated,
            boolean unparseable,
            Map<String, Object> details) {
        return new Judgment(
                benchmark + "-j" + i,
                benchmark,
                "q" + item,
                1,
                category,
                T0,
                judge,
                new Judgment.Subject("m" + model, "r" + i, null, answerChars),
                kind,
                correct,
                score,
                pairwise,
                preference,
                null,
                truncated,
                false,
                unparseable,
                null,
                details,
                Origin.IMPORT,
                T0.plusMillis(i));
    }

    /** The item's instruction difficulty γ ~ N(0, 1), the same for every judgment of the item. */
    private static double gamma(int item) {
        return new SplittableRandom(item * 0x9e3779b97f4a7c15L).nextGaussian();
    }

    private static double logistic(SplittableRandom random) {
        double u = random.nextDouble();
        while (u == 0) {
            u = random.nextDouble();
        }
        return Math.log(u / (1 - u));
    }
}
