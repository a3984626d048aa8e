package io.assay.aggregator.stats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Battles aggregated as Chatbot Arena's {@code preprocess_for_bt} does (lm-sys/FastChat
 * {@code fastchat/serve/monitor/rating_systems.py}): each unique (pair, outcome) is one cell weighted
 * by how often it occurred. Cells are keyed by the unordered pair {@code i < j} (models in name order)
 * and the outcome for i: a win, a tie, a loss. A battle of a model against itself says nothing and is
 * left out; the model is still listed.
 *
 * @param models the models, in name order
 * @param pairOf each cell's pair, an index into {@code pairI}/{@code pairJ}
 * @param scoreOf each cell's score for the pair's first model: 1, 0.5 or 0
 * @param counts each cell's battles
 * @param pairI each pair's first model
 * @param pairJ each pair's second model
 * @param battles battles per model
 * @param total all battles in the cells
 * @param units the resampling units ({@link Battle#cluster}): each distinct per-unit vector of cell
 *     counts once, with how many units have it
 */
record BattleCells(
        List<String> models,
        int[] pairOf,
        double[] scoreOf,
        long[] counts,
        int[] pairI,
        int[] pairJ,
        long[] battles,
        long total,
        Units units) {

    /**
     * The bootstrap's units, grouped by content: units with the same cell counts are interchangeable, so
     * drawing units with replacement is a multinomial over the distinct {@code profiles} with
     * probabilities ∝ {@code multiplicity}. Unclustered battles are one-battle units, and their profiles
     * are the cells themselves: the draw is then the multinomial over cells FastChat makes.
     *
     * @param cells per profile, the cells it has battles in
     * @param counts per profile, its battles in each of those cells
     * @param multiplicity per profile, the units that have it
     * @param n all units
     */
    record Units(int[][] cells, long[][] counts, long[] multiplicity, long n) {}

    /** Cell weights of one bootstrap resample: {@link Units#n} units drawn with replacement. */
    long[] resample(SplittableRandom random) {
        long[] drawn = Multinomial.sample(random, units.multiplicity(), units.n());
        long[] w = new long[counts.length];
        for (int u = 0; u < drawn.length; u++) {
            if (drawn[u] == 0) {
                continue;
            }
            for (int x = 0; x < units.cells()[u].length; x++) {
                w[units.cells()[u][x]] += drawn[u] * units.counts()[u][x];
            }
        }
        return w;
    }

    /**
     * The battles of each unordered pair {@code i < j} under some cell weights: {@code scoreI} the wins
     * of i with ties as halves, {@code n} all battles between them.
     */
    record Pairs(int[] i, int[] j, double[] scoreI, double[] n) {}

    /** Aggregates {@code battles}; O(battles) once, everything after is O(cells). */
    static BattleCells of(List<Battle> battles) {
        TreeSet<String> names = new TreeSet<>();
        for (Battle b : battles) {
            names.add(b.a());
            names.add(b.b());
        }
        List<String> models = new ArrayList<>(names);
        Map<String, Integer> index = new HashMap<>();
        for (int m = 0; m < models.size(); m++) {
            index.put(models.get(m), m);
        }
        int k = models.size();
        long[] perModel = new long[k];
        // pair key i·k + j → battles won by i, tied, lost by i
        TreeMap<Long, long[]> byPair = new TreeMap<>();
        for (Battle b : battles) {
            int a = index.get(b.a());
            int c = index.get(b.b());
            perModel[a]++;
            if (a == c) {
                continue;
            }
            perModel[c]++;
            int i = Math.min(a, c);
            int j = Math.max(a, c);
            double scoreI = a == i ? b.scoreA() : 1 - b.scoreA();
            int outcome = scoreI == 1 ? 0 : scoreI == 0 ? 2 : 1;
            byPair.computeIfAbsent((long) i * k + j, key -> new long[3])[outcome]++;
        }
        int pairs = byPair.size();
        int[] pairI = new int[pairs];
        int[] pairJ = new int[pairs];
        List<long[]> cells = new ArrayList<>();
        int p = 0;
        for (Map.Entry<Long, long[]> e : byPair.entrySet()) {
            pairI[p] = (int) (e.getKey() / k);
            pairJ[p] = (int) (e.getKey() % k);
            for (int outcome = 0; outcome < 3; outcome++) {
                if (e.getValue()[outcome] > 0) {
                    cells.add(new long[] {p, outcome, e.getValue()[outcome]});
                }
            }
            p++;
        }
        int[] pairOf = new int[cells.size()];
        double[] scoreOf = new double[cells.size()];
        long[] counts = new long[cells.size()];
        long total = 0;
        Map<Long, Integer> cellOf = new HashMap<>();
        for (int c = 0; c < cells.size(); c++) {
            pairOf[c] = (int) cells.get(c)[0];
            scoreOf[c] = 1 - cells.get(c)[1] / 2.0;
            counts[c] = cells.get(c)[2];
            total += counts[c];
            cellOf.put(cells.get(c)[0] * 3 + cells.get(c)[1], c);
        }
        Map<Long, Integer> pairIndex = new HashMap<>();
        for (int q = 0; q < pairs; q++) {
            pairIndex.put((long) pairI[q] * k + pairJ[q], q);
        }
        // Each unit's cell counts (a cell index → battles), then the distinct ones with their multiplicity.
        Map<String, TreeMap<Integer, Long>> byUnit = new HashMap<>();
        long[] singles = new long[cells.size()];
        for (Battle b : battles) {
            int a = index.get(b.a());
            int c = index.get(b.b());
            if (a == c) {
                continue;
            }
            int i = Math.min(a, c);
            int j = Math.max(a, c);
            double scoreI = a == i ? b.scoreA() : 1 - b.scoreA();
            long outcome = scoreI == 1 ? 0 : scoreI == 0 ? 2 : 1;
            int cell = cellOf.get(pairIndex.get((long) i * k + j) * 3L + outcome);
            if (b.cluster() == null) {
                singles[cell]++;
            } else {
                byUnit.computeIfAbsent(b.cluster(), x -> new TreeMap<>()).merge(cell, 1L, Long::sum);
            }
        }
        Map<TreeMap<Integer, Long>, Long> profiles = new TreeMap<>(BattleCells::compare);
        for (int cell = 0; cell < singles.length; cell++) {
            if (singles[cell] > 0) {
                profiles.merge(new TreeMap<>(Map.of(cell, 1L)), singles[cell], Long::sum);
            }
        }
        for (TreeMap<Integer, Long> unit : byUnit.values()) {
            profiles.merge(unit, 1L, Long::sum);
        }
        return new BattleCells(models, pairOf, scoreOf, counts, pairI, pairJ, perModel, total, units(profiles));
    }

    /** A total order on profiles (the order the multinomial visits them in, so a seed gives one result). */
    private static int compare(TreeMap<Integer, Long> x, TreeMap<Integer, Long> y) {
        var a = x.entrySet().iterator();
        var b = y.entrySet().iterator();
        while (a.hasNext() && b.hasNext()) {
            Map.Entry<Integer, Long> p = a.next();
            Map.Entry<Integer, Long> q = b.next();
            int c = p.getKey().equals(q.getKey())
                    ? Long.compare(p.getValue(), q.getValue())
                    : Integer.compare(p.getKey(), q.getKey());
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(a.hasNext(), b.hasNext());
    }

    private static Units units(Map<TreeMap<Integer, Long>, Long> profiles) {
        int u = 0;
        int[][] cells = new int[profiles.size()][];
        long[][] counts = new long[profiles.size()][];
        long[] multiplicity = new long[profiles.size()];
        long n = 0;
        for (Map.Entry<TreeMap<Integer, Long>, Long> e : profiles.entrySet()) {
            cells[u] = e.getKey().keySet().stream().mapToInt(Integer::intValue).toArray();
            counts[u] = e.getKey().values().stream().mapToLong(Long::longValue).toArray();
            multiplicity[u] = e.getValue();
            n += e.getValue();
            u++;
        }
        return new Units(cells, counts, multiplicity, n);
    }

    /** The model's index, or −1 for null or a model in no battle against another. */
    int index(String model) {
        int m = model == null ? -1 : models.indexOf(model);
        for (int p = 0; m >= 0 && p < pairI.length; p++) {
            if (pairI[p] == m || pairJ[p] == m) {
                return m;
            }
        }
        return -1;
    }

    /** The pairs under cell weights {@code w} (the counts, or a resample's). */
    Pairs pairs(long[] w) {
        double[] scoreI = new double[pairI.length];
        double[] n = new double[pairI.length];
        for (int c = 0; c < w.length; c++) {
            scoreI[pairOf[c]] += scoreOf[c] * w[c];
            n[pairOf[c]] += w[c];
        }
        return new Pairs(pairI, pairJ, scoreI, n);
    }
}
