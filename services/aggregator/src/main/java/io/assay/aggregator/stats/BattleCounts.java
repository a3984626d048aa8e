package io.assay.aggregator.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Battles as the Bradley–Terry fit reads them, kept battle by battle: Chatbot Arena's
 * {@code preprocess_for_bt} aggregation (lm-sys/FastChat {@code fastchat/serve/monitor/rating_systems.py})
 * taken one step further, to what the likelihood depends on: per unordered pair of models {@code i < j}
 * (name order), the battles {@code n} and i's score with a tie as half a win, in half points. A fit then
 * costs the models and pairs, never the battles. A battle of a model against itself says nothing and is
 * left out; the model is still listed.
 *
 * <p>With replicates, also the same two sums under each of the {@link PoissonBootstrap#RESAMPLES}
 * Poisson(1) weightings of the resampling units ({@link Battle#cluster}, the item: all its battles share
 * one weight, the cluster bootstrap of Davison &amp; Hinkley 1997 §3.8): replicate b's pair counts are
 * {@code Σ w_ub} over the pair's battles and its score {@code Σ w_ub·s}. The weights are hashes of the
 * unit ({@link PoissonBootstrap#weights}) and every sum an integer, so a battle added or taken away in any
 * order leaves the same counts, bit for bit: the tallies kept per judgment and the slot path, which adds
 * the slots in key order, fit the same numbers. Not thread-safe.
 */
public final class BattleCounts {
    private static final Comparator<Pair> ORDER = Comparator.comparing(Pair::i).thenComparing(Pair::j);

    private final boolean replicates;
    private final TreeMap<String, Long> battles = new TreeMap<>();
    private final TreeMap<Pair, Counts> pairs = new TreeMap<>(ORDER);

    /** Counts with the bootstrap replicates' or, for a point fit only, without. */
    public BattleCounts(boolean replicates) {
        this.replicates = replicates;
    }

    /** An unordered pair, {@code i} before {@code j} by name. */
    private record Pair(String i, String j) {}

    /** One pair's sums; i's score in half points. */
    static final class Counts {
        long n;
        long score2;
        final int[] replicateN;
        final int[] replicateScore2;

        Counts(boolean replicates) {
            replicateN = replicates ? new int[PoissonBootstrap.RESAMPLES] : null;
            replicateScore2 = replicates ? new int[PoissonBootstrap.RESAMPLES] : null;
        }
    }

    /**
     * The battles of each unordered pair {@code i < j} (indices into {@link Frozen#models}) under some
     * weights: {@code scoreI} the wins of i with ties as halves, {@code n} all battles between them.
     */
    record Pairs(int[] i, int[] j, double[] scoreI, double[] n) {}

    /**
     * Counts from a list of battles; a battle without a {@link Battle#cluster} is its own unit, named by
     * its position in the list.
     */
    public static BattleCounts of(List<Battle> list, boolean replicates) {
        BattleCounts c = new BattleCounts(replicates);
        for (int x = 0; x < list.size(); x++) {
            Battle b = list.get(x);
            c.add(b.a(), b.b(), b.scoreA(), b.cluster() != null ? b.cluster() : "\u0000#" + x, 1);
        }
        return c;
    }

    /**
     * Adds ({@code sign} 1) or takes away (−1) a battle of {@code a} against {@code b} in which a scored
     * {@code scoreA} (1, 0.5 or 0), resampled with the other battles of {@code unit}.
     */
    public void add(String a, String b, double scoreA, String unit, int sign) {
        if (scoreA != 0 && scoreA != 0.5 && scoreA != 1) {
            throw new IllegalArgumentException("a battle's score is 1, 0.5 or 0, got " + scoreA);
        }
        count(a, sign);
        if (a.equals(b)) {
            return;
        }
        count(b, sign);
        boolean first = a.compareTo(b) < 0;
        Pair pair = first ? new Pair(a, b) : new Pair(b, a);
        int score2 = (int) Math.round(2 * (first ? scoreA : 1 - scoreA));
        Counts c = pairs.computeIfAbsent(pair, x -> new Counts(replicates));
        c.n += sign;
        c.score2 += (long) sign * score2;
        if (replicates) {
            int[] w = PoissonBootstrap.weights(unit);
            for (int r = 0; r < w.length; r++) {
                c.replicateN[r] += sign * w[r];
                c.replicateScore2[r] += sign * w[r] * score2;
            }
        }
        if (c.n == 0) {
            pairs.remove(pair);
        }
    }

    private void count(String model, int sign) {
        if (battles.merge(model, (long) sign, Long::sum) == 0) {
            battles.remove(model);
        }
    }

    /** Battles per model, models in name order. */
    public Map<String, Long> battles() {
        return java.util.Collections.unmodifiableMap(battles);
    }

    /** Whether there are no battles. */
    public boolean isEmpty() {
        return battles.isEmpty();
    }

    /** Whether the replicates are kept. */
    public boolean replicates() {
        return replicates;
    }

    /** A copy of the point counts, without replicates (to take battles away from for an earlier ranking). */
    public BattleCounts pointCopy() {
        BattleCounts out = new BattleCounts(false);
        out.battles.putAll(battles);
        pairs.forEach((p, c) -> {
            Counts copy = new Counts(false);
            copy.n = c.n;
            copy.score2 = c.score2;
            out.pairs.put(p, copy);
        });
        return out;
    }

    /** The counts as arrays for the fits: models in name order, pairs in (i, j) order. */
    Frozen freeze() {
        List<String> models = new ArrayList<>(battles.keySet());
        long[] perModel = new long[models.size()];
        Map<String, Integer> index = new HashMap<>();
        for (int m = 0; m < models.size(); m++) {
            index.put(models.get(m), m);
            perModel[m] = battles.get(models.get(m));
        }
        int[] i = new int[pairs.size()];
        int[] j = new int[pairs.size()];
        double[] scoreI = new double[pairs.size()];
        double[] n = new double[pairs.size()];
        Counts[] counts = new Counts[pairs.size()];
        int q = 0;
        for (Map.Entry<Pair, Counts> e : pairs.entrySet()) {
            i[q] = index.get(e.getKey().i());
            j[q] = index.get(e.getKey().j());
            scoreI[q] = e.getValue().score2 / 2.0;
            n[q] = e.getValue().n;
            counts[q] = e.getValue();
            q++;
        }
        return new Frozen(models, perModel, new Pairs(i, j, scoreI, n), counts);
    }

    /** The counts of one read: the models in name order, battles per model, and the pairs. */
    static final class Frozen {
        private final List<String> models;
        private final long[] battles;
        private final Pairs point;
        private final Counts[] counts;
        /** Pairs per block of the transposition: 2 × 64 arrays' current cache lines fit in L1. */
        private static final int BLOCK = 64;

        /** Per replicate, per pair, its battles and i's score in half points: {@link #counts} transposed. */
        private int[][] replicateN;

        private int[][] replicateScore2;

        Frozen(List<String> models, long[] battles, Pairs point, Counts[] counts) {
            this.models = models;
            this.battles = battles;
            this.point = point;
            this.counts = counts;
        }

        /** The models, in name order. */
        List<String> models() {
            return models;
        }

        /** Battles per model. */
        long[] battles() {
            return battles;
        }

        /** The pairs under the data's own weights. */
        Pairs point() {
            return point;
        }

        /**
         * The pairs under replicate {@code r}'s Poisson weights. The first call transposes the counts once
         * (per pair, its replicates are one array; per replicate, its pairs are then one array), so that
         * 200 replicates read their counts in order instead of one cache line per pair each. It does so
         * in blocks of {@link #BLOCK} pairs, whose arrays' cache lines stay in cache while every replicate
         * takes its values from them (one pair at a time, each replicate would write a different line).
         */
        Pairs replicate(int r) {
            if (replicateN == null) {
                int resamples = PoissonBootstrap.RESAMPLES;
                replicateN = new int[resamples][counts.length];
                replicateScore2 = new int[resamples][counts.length];
                for (int from = 0; from < counts.length; from += BLOCK) {
                    int to = Math.min(from + BLOCK, counts.length);
                    for (int b = 0; b < resamples; b++) {
                        int[] n = replicateN[b];
                        int[] score2 = replicateScore2[b];
                        for (int q = from; q < to; q++) {
                            n[q] = counts[q].replicateN[b];
                            score2[q] = counts[q].replicateScore2[b];
                        }
                    }
                }
            }
            double[] scoreI = new double[counts.length];
            double[] n = new double[counts.length];
            for (int q = 0; q < counts.length; q++) {
                scoreI[q] = replicateScore2[r][q] / 2.0;
                n[q] = replicateN[r][q];
            }
            return new Pairs(point.i(), point.j(), scoreI, n);
        }

        /** The model's index, or −1 for null or a model in no battle against another. */
        int index(String model) {
            int m = model == null ? -1 : models.indexOf(model);
            for (int q = 0; m >= 0 && q < point.i().length; q++) {
                if (point.i()[q] == m || point.j()[q] == m) {
                    return m;
                }
            }
            return -1;
        }
    }
}
