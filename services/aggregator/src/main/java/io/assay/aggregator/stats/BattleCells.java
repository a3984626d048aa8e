package io.assay.aggregator.stats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 */
record BattleCells(
        List<String> models,
        int[] pairOf,
        double[] scoreOf,
        long[] counts,
        int[] pairI,
        int[] pairJ,
        long[] battles,
        long total) {

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
        for (int c = 0; c < cells.size(); c++) {
            pairOf[c] = (int) cells.get(c)[0];
            scoreOf[c] = 1 - cells.get(c)[1] / 2.0;
            counts[c] = cells.get(c)[2];
            total += counts[c];
        }
        return new BattleCells(models, pairOf, scoreOf, counts, pairI, pairJ, perModel, total);
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
