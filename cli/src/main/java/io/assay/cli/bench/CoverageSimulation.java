package io.assay.cli.bench;

import io.assay.aggregator.leaderboard.Slot;
import io.assay.aggregator.leaderboard.View;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.PairwiseOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * A benchmark whose true values are known: simulated models answer simulated items under a Rasch
 * model (Rasch 1960) with a model-by-item interaction, and every verdict the views fold is drawn
 * from it. Each repetition draws new items; the models stay.
 *
 * <p>The answer of model m to variant v of item i has the latent {@code a = θ_m + u_mi − b_i − ε_iv}:
 * θ_m the model's ability (evenly spaced in [−s, s], s the spread, 1 by default; the baseline's is 0), b_i ~ N(0, {@value
 * #ITEM_SD}²) the item's difficulty, u_mi ~ N(0, {@value #FIT_SD}²) how well the item suits the
 * model, ε_iv ~ N(0, {@value #VARIANT_SD}²) how much harder the variant's wording makes it. The
 * variants of one item share b_i and u_mi, so their verdicts are correlated: an interval that takes
 * them as independent is too narrow. With σ the logistic function, the verdicts are
 *
 * <ul>
 *   <li>{@code correct}: right with probability σ(a);
 *   <li>{@code score} (1–10, WildBench's scale): 1 + Binomial(9, σ(a));
 *   <li>{@code pairwise} against the baseline on the same variant: with d = a − a_baseline (b and ε
 *       cancel) and z = d + a standard logistic draw, much better above {@value #MUCH}, better above
 *       {@value #TIE}, a tie within ±{@value #TIE}, worse, much worse below −{@value #MUCH};
 *   <li>{@code preference} (AlpacaEval): 2 (the model preferred) with probability σ(d), else 1.
 * </ul>
 *
 * <p>The true values ({@link #truth}), per model, are population quantities over the item and
 * variant distribution, x ~ N(0, ITEM_SD² + FIT_SD² + VARIANT_SD²) and y ~ N(0, 2·FIT_SD²):
 *
 * <ul>
 *   <li>accuracy = E σ(θ_m − x), the probability that a random variant of a random item is right;
 *   <li>score = 1 + 9·accuracy, the expected score; wb-score = 20·(score − 5);
 *   <li>winrate = 100·E σ(θ_m − θ_baseline + y), the expected preference − 1 in percent;
 *   <li>wb-reward = 100·E[P(much better) + ½P(better) − ½P(worse) − P(much worse)]
 *       = 100·E ½(σ(d − 2) + σ(d − ½) + σ(d + ½) + σ(d + 2)) − 100 with d = θ_m − θ_baseline + y (no
 *       lengths: no penalty; one baseline: the mixture is the reward against it);
 *   <li>bt, anchored at the baseline: 1000 + 400·log10(q/(1 − q)) with q = E ½(σ(d − ½) + σ(d + ½)),
 *       d = θ_m − θ_baseline + y, the expected score against the baseline (ties half): the limit of the
 *       Bradley–Terry fit as items grow, since each model meets only the baseline.
 * </ul>
 *
 * <p>{@code irt}'s true value is not a population's: the view estimates the model's accuracy on the benchmark's
 * own items, so it is {@link #benchmarkAccuracy}, the model's mean σ(a) over the drawn items and variants. By
 * default every model answers every item; with a share observed below 1 each (model, item) cell is kept with that
 * probability (LiveXiv's design, which {@code irt} predicts the missing cells of).
 */
public final class CoverageSimulation {
    /** Spread of item difficulty b_i. */
    public static final double ITEM_SD = 1.0;
    /** Spread of the model-by-item interaction u_mi. */
    public static final double FIT_SD = 1.0;
    /** Spread of a variant's difficulty ε_iv. */
    public static final double VARIANT_SD = 0.5;
    /** Half-width of a tie on the logistic scale. */
    public static final double TIE = 0.5;
    /** Where better becomes much better. */
    public static final double MUCH = 2.0;
    /** The model every pairwise and preference verdict compares with, and the bt anchor. */
    public static final String BASELINE = "baseline";

    private final int items;
    private final int variants;
    private final double observed;
    private final List<String> models = new ArrayList<>();
    private final double[] ability;
    /** The last repetition's Σ over the items a model was evaluated on or not of its mean σ(a) over the variants. */
    private double[] expected;
    /** The last repetition's items that some model was evaluated on. */
    private int answered;

    /** The default spread of the models' abilities: θ in [−1, 1]. */
    public static final double SPREAD = 1.0;

    /**
     * A benchmark of {@code items} items of {@code variants} variants each, answered by {@code models} models whose
     * abilities are evenly spaced in [−spread, spread], every model on every item.
     */
    public CoverageSimulation(int items, int variants, int models, double spread) {
        this(items, variants, models, spread, 1.0);
    }

    /**
     * As above, each model evaluated on each item with probability {@code observed} (all its variants and kinds, or
     * none), independently: LiveXiv's design, which {@code irt} predicts the missing cells of.
     */
    public CoverageSimulation(int items, int variants, int models, double spread, double observed) {
        if (items < 2 || variants < 1 || models < 1) {
            throw new IllegalArgumentException("need at least 2 items, 1 variant and 1 model");
        }
        if (!(spread >= 0) || Double.isInfinite(spread)) {
            throw new IllegalArgumentException("the spread of the abilities must be finite and at least 0: " + spread);
        }
        if (!(observed > 0 && observed <= 1)) {
            throw new IllegalArgumentException(
                    "the share of items each model is evaluated on must be in (0, 1]: " + observed);
        }
        this.observed = observed;
        this.items = items;
        this.variants = variants;
        this.ability = new double[models];
        for (int m = 0; m < models; m++) {
            this.models.add(String.format("model-%02d", m + 1));
            ability[m] = models == 1 ? 0.0 : spread * (-1.0 + 2.0 * m / (models - 1));
        }
    }

    /** The simulated models, in id order (the baseline is not among them). */
    public List<String> models() {
        return List.copyOf(models);
    }

    /** A model's ability θ. */
    public double ability(String model) {
        return ability[models.indexOf(model)];
    }

    /**
     * One run of the benchmark: new items, and one verdict of each kind for every model on every
     * variant of every item, in slot-key order (item, model, variant) as the aggregator stores them.
     */
    public List<Slot> repetition(SplittableRandom random) {
        String itemFormat = "item-%0" + String.valueOf(items).length() + "d";
        List<Slot> slots = new ArrayList<>(items * models.size() * variants * 4);
        expected = new double[models.size()];
        answered = 0;
        for (int i = 0; i < items; i++) {
            String item = String.format(itemFormat, i + 1);
            double difficulty = ITEM_SD * random.nextGaussian();
            double baselineFit = FIT_SD * random.nextGaussian();
            double[] fit = new double[models.size()];
            for (int m = 0; m < fit.length; m++) {
                fit[m] = FIT_SD * random.nextGaussian();
            }
            double[] wording = new double[variants];
            for (int v = 0; v < variants; v++) {
                wording[v] = VARIANT_SD * random.nextGaussian();
            }
            // Drawn only when some cells are missing: with every cell observed, the benchmark of before.
            boolean[] evaluated = new boolean[fit.length];
            boolean any = false;
            for (int m = 0; m < fit.length; m++) {
                evaluated[m] = observed >= 1 || random.nextDouble() < observed;
                any |= evaluated[m];
            }
            for (int m = 0; m < fit.length && any; m++) {
                double share = 0;
                for (int v = 0; v < variants; v++) {
                    double a = ability[m] + fit[m] - difficulty - wording[v];
                    double d = ability[m] + fit[m] - baselineFit;
                    share += sigma(a) / variants;
                    if (evaluated[m]) {
                        slots.addAll(verdicts(random, item, models.get(m), "v" + (v + 1), a, d));
                    }
                }
                expected[m] += share;
            }
            answered += any ? 1 : 0;
        }
        return slots;
    }

    /**
     * {@code irt}'s true value in the last repetition: the model's expected accuracy on that benchmark's items, the
     * mean over the items some model was evaluated on (those the view knows) of its mean σ(a) over their variants,
     * whether it was evaluated on them or not. Unlike {@link #truth}, a quantity of the drawn items, not of their
     * population.
     */
    public double benchmarkAccuracy(String model) {
        return expected[models.indexOf(model)] / answered;
    }

    /** The true value of {@code view} for {@code model} (see the class comment); NaN for other views. */
    public double truth(View view, String model) {
        double theta = ability(model);
        double all = Math.sqrt(ITEM_SD * ITEM_SD + FIT_SD * FIT_SD + VARIANT_SD * VARIANT_SD);
        double pair = Math.sqrt(2) * FIT_SD;
        double accuracy = expectation(x -> sigma(theta - x), 0, all);
        return switch (view) {
            case ACCURACY -> accuracy;
            case SCORE -> 1 + 9 * accuracy;
            case WB_SCORE -> 20 * (1 + 9 * accuracy - 5);
            case WINRATE -> 100 * expectation(CoverageSimulation::sigma, theta, pair);
            case WB_REWARD ->
                100
                                * expectation(
                                        d -> 0.5
                                                * (sigma(d - MUCH) + sigma(d - TIE) + sigma(d + TIE) + sigma(d + MUCH)),
                                        theta,
                                        pair)
                        - 100;
            case BT -> {
                double q = expectation(d -> 0.5 * (sigma(d - TIE) + sigma(d + TIE)), theta, pair);
                yield 1000 + 400 * Math.log10(q / (1 - q));
            }
            default -> Double.NaN;
        };
    }

    private List<Slot> verdicts(
            SplittableRandom random, String item, String model, String variant, double a, double d) {
        double p = sigma(a);
        int score = 1;
        for (int k = 0; k < 9; k++) {
            score += random.nextDouble() < p ? 1 : 0;
        }
        double z = d + logistic(random);
        PairwiseOutcome outcome = z > MUCH
                ? PairwiseOutcome.MUCH_BETTER
                : z > TIE
                        ? PairwiseOutcome.BETTER
                        : z >= -TIE
                                ? PairwiseOutcome.TIE
                                : z >= -MUCH ? PairwiseOutcome.WORSE : PairwiseOutcome.MUCH_WORSE;
        double preference = logistic(random) < d ? 2.0 : 1.0;
        return List.of(
                slot(item, model, variant, JudgmentKind.CORRECT, random.nextDouble() < p, null, null, null),
                slot(item, model, variant, JudgmentKind.SCORE, false, (double) score, null, null),
                slot(item, model, variant, JudgmentKind.PAIRWISE, false, null, outcome, null),
                slot(item, model, variant, JudgmentKind.PREFERENCE, false, null, null, preference));
    }

    /** A slot as {@code Slot.of} makes it from a judgment of one judge per kind. */
    private static Slot slot(
            String item,
            String model,
            String variant,
            JudgmentKind kind,
            boolean correct,
            Double score,
            PairwiseOutcome outcome,
            Double preference) {
        boolean compared = kind == JudgmentKind.PAIRWISE || kind == JudgmentKind.PREFERENCE;
        String judge = "sim-" + kind.name().toLowerCase(java.util.Locale.ROOT);
        return new Slot(
                String.join("|", item, model, variant, judge),
                1,
                correct,
                null,
                false,
                item,
                model,
                kind,
                variant,
                judge,
                score,
                outcome,
                compared ? BASELINE : null,
                null,
                null,
                false,
                preference,
                null,
                null,
                null,
                null,
                score == null ? null : 1.0,
                score == null ? null : 10.0,
                null,
                "1",
                null,
                null,
                null);
    }

    static double sigma(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double logistic(SplittableRandom random) {
        double u = random.nextDouble();
        while (u == 0) {
            u = random.nextDouble();
        }
        return Math.log(u / (1 - u));
    }

    /** E f(mean + sd·Z), Z standard normal: the trapezoid rule on ±10 sd (error far below 1e-9 here). */
    static double expectation(DoubleUnaryOperator f, double mean, double sd) {
        int steps = 20_000;
        double h = 20.0 / steps;
        double sum = 0;
        for (int k = 0; k <= steps; k++) {
            double z = -10 + k * h;
            double w = (k == 0 || k == steps ? 0.5 : 1.0) * Math.exp(-0.5 * z * z);
            sum += w * f.applyAsDouble(mean + sd * z);
        }
        return sum * h / Math.sqrt(2 * Math.PI);
    }
}
