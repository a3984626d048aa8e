package io.assay.aggregator.stats;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Bradley–Terry ratings on the Elo scale as Chatbot Arena computes them (Bradley &amp; Terry 1952;
 * Chiang et al. 2024, §4; lm-sys/FastChat {@code fastchat/serve/monitor/rating_systems.py} at
 * commit 2bdb2e0c: {@code preprocess_for_bt} lines 44–62, {@code bt_loss_and_grad} 165–181,
 * {@code fit_bt} 184–194, {@code scale_and_offset} 197–210, {@code compute_bootstrap_bt} 220–248; the
 * same functions in {@code elo_analysis.py}, whose older {@code compute_mle_elo} is the logistic
 * regression the test fixtures use): P(i beats j) = 1 / (1 + 10^((R_j − R_i)/400)).
 *
 * <p><b>What matches FastChat.</b> The battles are aggregated into counts ({@code preprocess_for_bt}
 * keeps unique (pair, outcome) cells with their counts as weights; {@link BattleCounts} keeps per pair
 * the battles and the first model's score, all the likelihood reads), so a fit costs the number of
 * models and pairs, not of battles. A tie is a label of 0.5, i.e. half a win for each side
 * ({@code bt_loss_and_grad}'s "naturally counts a draw as half a win"). The fitted parameter r is on the
 * natural log-odds scale divided by ln 10 and the rating is {@code 1000 + 400·r} ({@code scale_and_offset});
 * without an anchor FastChat starts L-BFGS at 0 and every gradient sums to 0, so its ratings have mean
 * 1000, as here. The interval is the 2.5th and 97.5th percentiles of {@link #RESAMPLES} bootstrap
 * replicates (linear interpolation, pandas' {@code quantile}).
 *
 * <p><b>The bootstrap is a Poisson bootstrap of items</b> ({@link PoissonBootstrap}; Hanley &amp;
 * MacGibbon 2006; Chamandy et al. 2012 §3), where FastChat's {@code compute_bootstrap_bt} draws a
 * multinomial over the battles: replicate b gives each resampling unit the weight w_ub ~ Poisson(1), the
 * limit of the number of times a multinomial resample of the units draws it, hashed from the unit and b.
 * The unit is the item ({@link Battle#cluster}: several models, variants or baselines judged on one
 * prompt), each with all its battles (a cluster bootstrap, Davison &amp; Hinkley 1997 §3.8): battles of
 * one item share its difficulty, and resampling them as independent gave 83% coverage of a nominal 95%
 * interval in {@code ./assay bench coverage}. Why Poisson: the replicates' pair counts are then sums
 * over battles, kept up to date judgment by judgment ({@link BattleCounts}) in integers that do not
 * depend on the battles' order, so a read costs 1 + 200 fits on models and pairs. Each replicate's
 * fit starts from the point fit and takes chord steps with its factorised Newton system, Newton when they
 * do not converge fast ({@link BradleyTerryNewton}): the same maximum, without a factorisation per step.
 *
 * <p><b>Where it deliberately differs.</b> (1) The optimiser: Newton's method with a backtracking
 * line search on the exact log-likelihood (a replicate's: chord steps), to a step below 4e-9 Elo points
 * (FastChat: L-BFGS-B, gtol 1e-6, at most 100 iterations), so the MLE is reached to ~1e-8 Elo points. (2) The anchor is a
 * model of the caller's choice at 1000 (FastChat pins mixtral-8x7b-instruct-v0.1 at 1114 when
 * present). (3) The bootstrap, above. (4) Identification, which FastChat does not check: the MLE exists only where the battles connect
 * both ways (Zermelo 1929; Ford 1957): draw an edge i → j when i scored (won or tied) against j;
 * within a strongly connected component the rating differences are finite, across components they
 * are not. The <i>reference</i> is the anchor's component, or without an anchor the largest component
 * (most models, then most battles inside, then first by name; at least two models), centred on its
 * mean; its models are {@link Rating#identified()}. The others get no interval, and a
 * <i>placeholder</i> rating that only orders them: the maximum of their battles' likelihood, the
 * reference held fixed, times a N(1000, 400²) prior on each of them — never an estimate to publish.
 * (5) Per resample the same check, and a model the point identifies but a resample does not is off to one
 * side of that resample's reference: <i>above</i> it (rating +∞) when it reaches the reference's component
 * and the reference does not reach it, as a model that won all its battles in the resample; <i>below</i>
 * (−∞) the other way round; neither when it met no reference model there. Its interval is the percentiles
 * of its finite ratings ({@link Rating#resamplesIdentified()}) and those infinities ({@link
 * Rating#resamplesAbove()}, {@link Rating#resamplesBelow()}), and a percentile that is infinite is no
 * bound ({@code null}): a strong model that tied one battle and won the other 299 is only bounded below,
 * where leaving out the 37% of resamples without that tie put its upper bound 15 points above its rating.
 * The resample's reference is the anchor's component; without an anchor, the point's reference while it
 * is still one component (its mean is the scale), else the largest component of its models in the
 * resample: its own models then have no value from that resample (the mean they are centred on is
 * infinite), the models off to either side of it their ±∞ (when every one of them is a component of its
 * own, as two models that split apart are, each is set against the others). A resample without the anchor is dropped
 * for every model. FastChat keeps every resample, so a model that wins all its battles in one runs to
 * wherever L-BFGS stops, a large finite rating in its interval where this one has +∞.
 *
 * <p>An anchor that took part in no battle is ignored (the mean-centred reference applies).
 */
public final class BradleyTerry {
    /** The Elo scale. */
    public static final double SCALE = 400.0;
    /** The rating of the anchor, or the mean rating of the reference component. */
    public static final double INITIAL = 1000.0;
    /** Bootstrap replicates. */
    public static final int RESAMPLES = PoissonBootstrap.RESAMPLES;
    /** Standard deviation, in units of 400 Elo points, of the placeholder prior. */
    static final double PLACEHOLDER_SD = 1.0;

    private BradleyTerry() {}

    /**
     * A model's rating.
     *
     * @param rating the MLE rating; for a model not identified, a placeholder that only orders it
     * @param lower 2.5th bootstrap percentile; {@code null} when the model is not identified, or when that
     *     percentile is −∞ (unbounded below)
     * @param upper 97.5th bootstrap percentile; {@code null} when the model is not identified, or when that
     *     percentile is +∞ (unbounded above)
     * @param battles battles it took part in
     * @param identified whether the rating is a finite maximum-likelihood estimate on the reference's scale
     * @param resamplesIdentified the resamples in which it was identified, whose ratings its interval is made of
     * @param resamplesAbove the resamples in which its rating was infinite above the reference's (it scored against
     *     the reference and the reference not against it): +∞ in its interval
     * @param resamplesBelow those in which it was infinite below: −∞ in its interval
     */
    public record Rating(
            double rating,
            Double lower,
            Double upper,
            long battles,
            boolean identified,
            int resamplesIdentified,
            int resamplesAbove,
            int resamplesBelow) {}

    /**
     * Ratings with bootstrap intervals over {@code battles}, each battle without a {@link Battle#cluster}
     * its own unit; {@code anchor} may be null (the reference's mean is 1000).
     */
    public static Map<String, Rating> ratings(List<Battle> battles, String anchor) {
        return ratings(BattleCounts.of(battles, true), anchor);
    }

    /** Ratings with bootstrap intervals from counts with replicates; {@code anchor} may be null. */
    public static Map<String, Rating> ratings(BattleCounts counts, String anchor) {
        if (!counts.replicates()) {
            throw new IllegalArgumentException("the interval needs the counts' bootstrap replicates");
        }
        BattleCounts.Frozen data = counts.freeze();
        int k = data.models().size();
        int a = data.index(anchor);
        Fit full = fit(k, data.point(), a, true, null);
        double[][] values = new double[k][RESAMPLES];
        int[] kept = new int[k];
        int[] above = new int[k];
        int[] below = new int[k];
        boolean any = false;
        for (boolean b : full.identified()) {
            any |= b;
        }
        for (int r = 0; r < RESAMPLES && any; r++) {
            // From the point fit, with its factorised Newton system: a replicate's ratings are a
            // bootstrap's noise away from it.
            BattleCounts.Pairs p = data.replicate(r);
            Fit f = fit(k, p, a, false, full);
            boolean[] reference = f != null ? f.identified() : fallenApart(full, p, a);
            for (int m = 0; m < k; m++) {
                if (!full.identified()[m]) {
                    continue;
                }
                if (f != null && f.identified()[m]) {
                    values[m][kept[m]++] = f.elo()[m];
                } else if (reference != null && (reference.length == 0 || !reference[m])) {
                    int side = full.graph().side(p, m, reference.length == 0 ? others(full, m) : reference);
                    above[m] += side > 0 ? 1 : 0;
                    below[m] += side < 0 ? 1 : 0;
                }
            }
        }
        Map<String, Rating> out = new LinkedHashMap<>();
        for (int m = 0; m < k; m++) {
            Double lower = null;
            Double upper = null;
            int n = kept[m] + above[m] + below[m];
            if (full.identified()[m] && n > 0) {
                // The replicates in which it went off to either side count as ±∞: an interval of the
                // others alone would stop short of where the bootstrap puts it.
                double[] s = new double[n];
                Arrays.fill(s, 0, below[m], Double.NEGATIVE_INFINITY);
                System.arraycopy(values[m], 0, s, below[m], kept[m]);
                Arrays.sort(s, below[m], below[m] + kept[m]);
                Arrays.fill(s, below[m] + kept[m], n, Double.POSITIVE_INFINITY);
                lower = finite(Bootstrap.percentile(s, 0.025));
                upper = finite(Bootstrap.percentile(s, 0.975));
            }
            out.put(
                    data.models().get(m),
                    new Rating(
                            full.elo()[m],
                            lower,
                            upper,
                            data.battles()[m],
                            full.identified()[m],
                            kept[m],
                            above[m],
                            below[m]));
        }
        return out;
    }

    /**
     * A replicate's reference when, without an anchor, the point's reference is no longer one component in it (its
     * {@link #fit} is null): the largest component of the point's reference models present in it; none (an empty
     * array) when each is a component of its own, as two models that split apart are, and each is then set against
     * the others ({@link #others}). Null with an anchor (a replicate without the anchor has no scale at all).
     */
    private static boolean[] fallenApart(Fit full, BattleCounts.Pairs p, int anchor) {
        if (anchor >= 0) {
            return null;
        }
        int k = full.identified().length;
        boolean[] present = new boolean[k];
        boolean any = false;
        for (int q = 0; q < p.i().length; q++) {
            if (p.n()[q] > 0) {
                present[p.i()[q]] = full.identified()[p.i()[q]];
                present[p.j()[q]] = full.identified()[p.j()[q]];
            }
        }
        boolean[] largest = ScoredGraph.largest(full.graph().strong(p), present, p);
        for (boolean b : largest) {
            any |= b;
        }
        return any ? largest : new boolean[0];
    }

    /** The point's reference models but {@code m}. */
    private static boolean[] others(Fit full, int m) {
        boolean[] out = full.identified().clone();
        out[m] = false;
        return out;
    }

    private static Double finite(double v) {
        return Double.isInfinite(v) ? null : v;
    }

    /** The models whose rating is a finite MLE on the reference's scale (see the class comment). */
    public static Set<String> identified(List<Battle> battles, String anchor) {
        BattleCounts.Frozen data = BattleCounts.of(battles, false).freeze();
        int k = data.models().size();
        Fit full = fit(k, data.point(), data.index(anchor), false, null);
        Set<String> out = new TreeSet<>();
        for (int m = 0; m < k; m++) {
            if (full.identified()[m]) {
                out.add(data.models().get(m));
            }
        }
        return out;
    }

    /** The MLE ratings (placeholders for models not identified), models in name order. */
    public static Map<String, Double> fit(List<Battle> battles, String anchor) {
        return fit(BattleCounts.of(battles, false), anchor);
    }

    /** {@link #fit(List, String)} from counts. */
    public static Map<String, Double> fit(BattleCounts counts, String anchor) {
        BattleCounts.Frozen data = counts.freeze();
        int k = data.models().size();
        Fit full = fit(k, data.point(), data.index(anchor), true, null);
        Map<String, Double> out = new LinkedHashMap<>();
        for (int m = 0; m < k; m++) {
            out.put(data.models().get(m), full.elo()[m]);
        }
        return out;
    }

    /**
     * Elo ratings, which are identified, the fitted parameters (units of 400 points, centred), and what
     * the replicates' fits reuse: the factorised Newton system near the maximum (null when no model was
     * free) and the comparison graph of the pairs.
     */
    private record Fit(
            double[] elo, boolean[] identified, double[] r, BradleyTerryNewton.Factor factor, ScoredGraph graph) {}

    /**
     * One fit of the pairs {@code p}; {@code anchor} is a model index or −1. {@code point} is null for the
     * point fit (Newton from zero), or for a replicate's the point fit: it starts from its ratings, takes
     * chord steps with its {@link Fit#factor} when the free and active models are the same, and without
     * an anchor keeps its reference, which must still be one component. Returns null when the replicate
     * has no scale (see the class comment).
     */
    private static Fit fit(int k, BattleCounts.Pairs p, int anchor, boolean placeholders, Fit point) {
        ScoredGraph graph = point != null ? point.graph() : new ScoredGraph(k, p.i(), p.j());
        boolean[] present = new boolean[k];
        for (int q = 0; q < p.i().length; q++) {
            if (p.n()[q] > 0) {
                present[p.i()[q]] = true;
                present[p.j()[q]] = true;
            }
        }
        boolean[] inRef;
        if (anchor >= 0) {
            if (!present[anchor]) {
                return null;
            }
            inRef = graph.component(p, anchor);
        } else if (point != null) {
            inRef = point.identified();
            for (int m = 0; m < k; m++) {
                if (inRef[m] && !present[m]) {
                    return null;
                }
            }
            if (!graph.together(p, inRef)) {
                return null;
            }
        } else {
            inRef = ScoredGraph.largest(graph.strong(p), present, p);
        }
        double[] r = point != null ? point.r().clone() : new double[k];
        int pin = anchor;
        for (int m = 0; m < k && pin < 0; m++) {
            pin = inRef[m] ? m : -1;
        }
        boolean[] free = new boolean[k];
        for (int m = 0; m < k; m++) {
            free[m] = inRef[m] && m != pin;
        }
        BradleyTerryNewton.Factor factor = point != null ? point.factor() : null;
        if (factor != null && factor.fits(p, free, inRef)) {
            BradleyTerryNewton.maximise(p, r, factor);
        } else {
            factor = BradleyTerryNewton.maximise(p, r, free, inRef, 0.0);
        }
        double centre = 0;
        if (anchor >= 0) {
            centre = r[anchor];
        } else {
            int count = 0;
            for (int m = 0; m < k; m++) {
                if (inRef[m]) {
                    centre += r[m];
                    count++;
                }
            }
            centre = count == 0 ? 0 : centre / count;
        }
        for (int m = 0; m < k; m++) {
            r[m] = inRef[m] ? r[m] - centre : 0.0;
        }
        if (placeholders) {
            boolean[] others = new boolean[k];
            boolean[] all = new boolean[k];
            for (int m = 0; m < k; m++) {
                others[m] = !inRef[m];
                all[m] = true;
            }
            BradleyTerryNewton.maximise(p, r, others, all, 1.0 / (PLACEHOLDER_SD * PLACEHOLDER_SD));
        }
        double[] elo = new double[k];
        for (int m = 0; m < k; m++) {
            elo[m] = INITIAL + SCALE * r[m];
        }
        return new Fit(elo, inRef, r, factor, graph);
    }
}
