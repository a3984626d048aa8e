package io.assay.aggregator.stats;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Online Elo (Elo 1978; Chatbot Arena's {@code compute_online_elo}): every model starts at 1000
 * and after each battle, in ledger order, {@code R_a += K·(S_a − E_a)} and
 * {@code R_b += K·(E_a − S_a)} with {@code E_a = 1 / (1 + 10^((R_b − R_a)/400))}, K = 4, a tie
 * scoring 0.5. Cheap and incremental, but order-dependent: the {@code bt} view is the estimate.
 */
public final class OnlineElo {
    /** The update step. */
    public static final double K = 4.0;

    private OnlineElo() {}

    /** The ratings after {@code battles} in the given order. */
    public static Map<String, Double> ratings(List<Battle> battles) {
        Map<String, Double> r = new TreeMap<>();
        for (Battle b : battles) {
            update(r, b.a(), b.b(), b.scoreA());
        }
        return r;
    }

    /** One battle's update of {@code r} (a model not in it starts at 1000): a scored {@code scoreA} against b. */
    public static void update(Map<String, Double> r, String a, String b, double scoreA) {
        double ra = r.getOrDefault(a, BradleyTerry.INITIAL);
        double rb = r.getOrDefault(b, BradleyTerry.INITIAL);
        double ea = 1.0 / (1.0 + Math.pow(10.0, (rb - ra) / BradleyTerry.SCALE));
        r.put(a, ra + K * (scoreA - ea));
        r.put(b, rb + K * (ea - scoreA));
    }
}
