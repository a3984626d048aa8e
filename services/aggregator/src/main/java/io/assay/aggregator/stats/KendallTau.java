package io.assay.aggregator.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Kendall's tau-b (Kendall 1945, "The treatment of ties in ranking problems") between two scorings
 * of the same models: {@code (C − D) / √((C + D + T_x)(C + D + T_y))} over the pairs of models
 * scored in both, C concordant, D discordant, T_x / T_y pairs tied only in x / only in y. It is the
 * view's ranking stability: 1 when the order did not change.
 */
public final class KendallTau {
    private KendallTau() {}

    /** Tau-b over the models present in both maps; NaN with fewer than two such models or no untied pair. */
    public static double tauB(Map<String, Double> x, Map<String, Double> y) {
        List<String> common = new ArrayList<>();
        x.keySet().stream().filter(y::containsKey).sorted().forEach(common::add);
        long concordant = 0;
        long discordant = 0;
        long tiesX = 0;
        long tiesY = 0;
        for (int i = 0; i < common.size(); i++) {
            for (int j = i + 1; j < common.size(); j++) {
                double dx = Math.signum(x.get(common.get(i)) - x.get(common.get(j)));
                double dy = Math.signum(y.get(common.get(i)) - y.get(common.get(j)));
                if (dx == 0 && dy == 0) {
                    continue;
                } else if (dx == 0) {
                    tiesX++;
                } else if (dy == 0) {
                    tiesY++;
                } else if (dx == dy) {
                    concordant++;
                } else {
                    discordant++;
                }
            }
        }
        double denom = Math.sqrt((double) (concordant + discordant + tiesX) * (concordant + discordant + tiesY));
        return denom == 0 ? Double.NaN : (concordant - discordant) / denom;
    }
}
