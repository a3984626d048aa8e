package io.assay.aggregator.stats;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Bradley–Terry ratings on the Elo scale (Bradley &amp; Terry 1952; the Chatbot Arena leaderboard,
 * Chiang et al. 2024, §4 and its {@code compute_mle_elo}): P(i beats j) = 1 / (1 + 10^((R_j − R_i)/400)).
 * A tie counts as half a win for each side. The maximum-likelihood strengths π are found with
 * Zermelo's / Hunter's (2004) minorization–maximization iteration
 * {@code π_i ← W_i / Σ_j n_ij / (π_i + π_j)} (W_i the wins of i, ties as halves; n_ij the battles
 * of i and j), then {@code R_i = 400·log10(π_i)} shifted so that the anchor model is at 1000, or,
 * without an anchor, the mean rating is 1000.
 *
 * <p>95% intervals: the 2.5th and 97.5th percentiles of each rating over {@code resamples} seeded
 * bootstrap resamples of the battles (as Chatbot Arena's {@code get_bootstrap_result}).
 *
 * <p>The MLE exists only where the battles connect both ways (Zermelo 1929; Ford 1957): draw an
 * edge i → j when i scored (won or tied) against j; ratings are finite iff the graph is strongly
 * connected, and with an anchor, for the models in the anchor's strongly connected component. A
 * model that won (or lost) every battle is the common case. Its rating still comes out of the
 * iteration, stopped after {@link #MAX_ITERATIONS}, large but arbitrary: {@link Rating#identified()}
 * says so and the leaderboard marks it.
 */
public final class BradleyTerry {
    /** The Elo scale. */
    public static final double SCALE = 400.0;
    /** The rating of the anchor, or the mean rating. */
    public static final double INITIAL = 1000.0;
    /** Bootstrap resamples of the battles. */
    public static final int RESAMPLES = 100;

    static final int MAX_ITERATIONS = 10_000;
    private static final double TOLERANCE = 1e-12;

    private BradleyTerry() {}

    /**
     * A model's rating.
     *
     * @param rating the MLE rating
     * @param lower 2.5th bootstrap percentile
     * @param upper 97.5th bootstrap percentile
     * @param battles battles it took part in
     * @param identified whether the rating is a finite maximum-likelihood estimate ({@link #identified})
     */
    public record Rating(double rating, double lower, double upper, long battles, boolean identified) {}

    /** Ratings with bootstrap intervals; {@code anchor} may be null (mean 1000). */
    public static Map<String, Rating> ratings(List<Battle> battles, String anchor, int resamples, long seed) {
        Map<String, Double> mle = fit(battles, anchor);
        Map<String, Long> counts = new HashMap<>();
        for (Battle b : battles) {
            counts.merge(b.a(), 1L, Long::sum);
            counts.merge(b.b(), 1L, Long::sum);
        }
        List<String> models = new ArrayList<>(mle.keySet());
        double[][] samples = new double[models.size()][resamples];
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        int n = battles.size();
        for (int r = 0; r < resamples; r++) {
            List<Battle> sample = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                sample.add(battles.get(random.nextInt(n)));
            }
            Map<String, Double> fitted = fit(sample, anchor);
            for (int m = 0; m < models.size(); m++) {
                // A model absent from a resample has no rating there; its point estimate stands in.
                samples[m][r] = fitted.getOrDefault(models.get(m), mle.get(models.get(m)));
            }
        }
        Set<String> identified = identified(battles, anchor);
        Map<String, Rating> out = new LinkedHashMap<>();
        for (int m = 0; m < models.size(); m++) {
            double[] s = samples[m];
            Arrays.sort(s);
            String model = models.get(m);
            out.put(
                    model,
                    new Rating(
                            mle.get(model),
                            Bootstrap.percentile(s, 0.025),
                            Bootstrap.percentile(s, 0.975),
                            counts.getOrDefault(model, 0L),
                            identified.contains(model)));
        }
        return out;
    }

    /**
     * The models whose rating is a finite MLE: all of them when the "scored against" graph is
     * strongly connected; with an {@code anchor} that took part, the anchor's strongly connected
     * component; otherwise none (a mean over infinite ratings is not defined).
     */
    public static Set<String> identified(List<Battle> battles, String anchor) {
        Map<String, Set<String>> scoredAgainst = new TreeMap<>();
        for (Battle b : battles) {
            scoredAgainst.computeIfAbsent(b.a(), m -> new TreeSet<>());
            scoredAgainst.computeIfAbsent(b.b(), m -> new TreeSet<>());
            if (b.a().equals(b.b())) {
                continue;
            }
            if (b.scoreA() > 0) {
                scoredAgainst.get(b.a()).add(b.b());
            }
            if (b.scoreA() < 1) {
                scoredAgainst.get(b.b()).add(b.a());
            }
        }
        Map<String, Set<String>> reach = new HashMap<>();
        scoredAgainst.keySet().forEach(m -> reach.put(m, reachable(m, scoredAgainst)));
        String root = anchor != null && reach.containsKey(anchor)
                ? anchor
                : scoredAgainst.isEmpty()
                        ? null
                        : scoredAgainst.keySet().iterator().next();
        Set<String> component = new TreeSet<>();
        if (root != null) {
            reach.get(root).stream().filter(m -> reach.get(m).contains(root)).forEach(component::add);
        }
        boolean anchored = anchor != null && reach.containsKey(anchor);
        return anchored || component.size() == scoredAgainst.size() ? component : Set.of();
    }

    private static Set<String> reachable(String from, Map<String, Set<String>> edges) {
        Set<String> seen = new TreeSet<>(Set.of(from));
        ArrayDeque<String> todo = new ArrayDeque<>(List.of(from));
        while (!todo.isEmpty()) {
            for (String next : edges.get(todo.pop())) {
                if (seen.add(next)) {
                    todo.push(next);
                }
            }
        }
        return seen;
    }

    /** The MLE ratings, models in name order. */
    public static Map<String, Double> fit(List<Battle> battles, String anchor) {
        TreeSet<String> names = new TreeSet<>();
        battles.forEach(b -> {
            names.add(b.a());
            names.add(b.b());
        });
        List<String> models = new ArrayList<>(names);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < models.size(); i++) {
            index.put(models.get(i), i);
        }
        int k = models.size();
        double[] wins = new double[k];
        double[][] games = new double[k][k];
        for (Battle b : battles) {
            int i = index.get(b.a());
            int j = index.get(b.b());
            if (i == j) {
                continue;
            }
            wins[i] += b.scoreA();
            wins[j] += 1.0 - b.scoreA();
            games[i][j]++;
            games[j][i]++;
        }
        double[] pi = new double[k];
        Arrays.fill(pi, 1.0);
        for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
            double[] next = new double[k];
            double change = 0;
            for (int i = 0; i < k; i++) {
                double denom = 0;
                for (int j = 0; j < k; j++) {
                    if (games[i][j] > 0) {
                        denom += games[i][j] / (pi[i] + pi[j]);
                    }
                }
                // A floor keeps a model that never scored from collapsing to log(0).
                next[i] = denom == 0 ? pi[i] : Math.max(wins[i] / denom, 1e-300);
            }
            double geo = 0;
            for (double v : next) {
                geo += Math.log(v);
            }
            geo = Math.exp(geo / k);
            for (int i = 0; i < k; i++) {
                next[i] /= geo;
                change = Math.max(change, Math.abs(Math.log(next[i]) - Math.log(pi[i])));
            }
            pi = next;
            if (change < TOLERANCE) {
                break;
            }
        }
        double[] r = new double[k];
        double mean = 0;
        for (int i = 0; i < k; i++) {
            r[i] = SCALE * Math.log10(pi[i]);
            mean += r[i] / k;
        }
        double shift = anchor != null && index.containsKey(anchor) ? INITIAL - r[index.get(anchor)] : INITIAL - mean;
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < k; i++) {
            out.put(models.get(i), r[i] + shift);
        }
        return out;
    }
}
