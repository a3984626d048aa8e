package io.assay.systemtests.judging;

import io.assay.aggregator.stats.Battle;
import io.assay.aggregator.stats.BradleyTerry;
import io.assay.aggregator.stats.KendallTau;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import io.assay.judge.pairing.PairingPolicy;
import io.assay.judge.pairing.PairingPolicy.Pair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A pairwise benchmark on simulated truth, through the judge's own pairing decision ({@link PairingPolicy})
 * and the aggregator's own Bradley–Terry code ({@link BradleyTerry#ratings} for the snapshots the policy
 * reads, {@link BradleyTerry#fit} and {@link KendallTau} for the ranking against the truth).
 *
 * <p><b>Simulated</b> models and judge: model m has a true strength θ_m (logit scale, evenly spaced on
 * [−spread/2, spread/2]); its answer to an item has quality θ_m + ε, ε ~ N(0, 0.5²) per model and item;
 * the judge prefers the subject with probability σ(q_subject − q_baseline) (the {@code sim} judge's
 * pairwise rule without position or length bias and without ties: position swap would cost both protocols
 * alike). Each item is answered by every model in a random order; each arriving answer is paired as the
 * policy decides against the answers already there, one judge call per pair. The {@code bt} snapshot the
 * policy reads is recomputed from all battles so far (clustered by item, as the view does) every
 * {@code refresh} judge calls, so it lags like the published one.
 */
final class AdaptivePairing {
    /** Baselines at these strength ranks (0 = weakest): weak, middle and strong, as WildBench's three. */
    static final double[] BASELINE_QUANTILES = {0.15, 0.5, 0.85};

    private AdaptivePairing() {}

    /** τ against the truth after {@code items} items, with the judge calls spent so far. */
    record Point(int items, long calls, double tau) {}

    /** A pairing to simulate: the judge's pairing, or the random control (every pair open). */
    record Protocol(String name, JudgeSpec.Pairing pairing, boolean random) {}

    /**
     * Runs one benchmark.
     *
     * @param models how many models
     * @param spread the strength range (logits) from the weakest to the strongest
     * @param items how many items
     * @param every a point every this many items
     * @param refresh judge calls between snapshots
     * @param seed the truth's and the answers' seed (the same for every protocol)
     */
    static List<Point> run(Protocol protocol, int models, double spread, int items, int every, int refresh, long seed) {
        List<String> names = new ArrayList<>();
        Map<String, Double> truth = new LinkedHashMap<>();
        for (int m = 0; m < models; m++) {
            String name = String.format("sim-%02d", m);
            names.add(name);
            truth.put(name, -spread / 2 + spread * m / (models - 1));
        }
        List<String> baselines = new ArrayList<>();
        for (double q : BASELINE_QUANTILES) {
            baselines.add(names.get((int) Math.round(q * (models - 1))));
        }
        Random answers = new Random(seed);
        Random judge = new Random(seed * 31 + 7);
        List<Battle> battles = new ArrayList<>();
        Optional<LeaderboardSnapshot> bt = protocol.random() ? Optional.of(open(names)) : Optional.empty();
        long calls = 0;
        long lastRefresh = 0;
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            String item = "sim-bench/" + i;
            Map<String, Double> quality = new HashMap<>();
            for (String m : names) {
                quality.put(m, truth.get(m) + 0.5 * answers.nextGaussian());
            }
            List<String> order = new ArrayList<>(names);
            Collections.shuffle(order, answers);
            List<String> present = new ArrayList<>();
            for (String m : order) {
                present.add(m);
                for (Pair p : PairingPolicy.pairs(protocol.pairing(), baselines, item, "v", m, present, bt)) {
                    double d = quality.get(p.subject()) - quality.get(p.baseline());
                    double win = judge.nextDouble() < 1 / (1 + Math.exp(-d)) ? 1 : 0;
                    battles.add(new Battle(p.subject(), p.baseline(), win, item));
                    calls++;
                }
                if (!protocol.random()
                        && protocol.pairing() != null
                        && protocol.pairing().adaptive()
                        && calls - lastRefresh >= refresh) {
                    bt = Optional.of(snapshot(battles));
                    lastRefresh = calls;
                }
            }
            if ((i + 1) % every == 0) {
                points.add(new Point(i + 1, calls, KendallTau.tauB(BradleyTerry.fit(battles, null), truth)));
            }
        }
        return points;
    }

    /** The {@code bt} view's rows over {@code battles}: ratings with Poisson bootstrap intervals. */
    private static LeaderboardSnapshot snapshot(List<Battle> battles) {
        List<Row> rows = new ArrayList<>();
        BradleyTerry.ratings(battles, null)
                .forEach((model, r) -> rows.add(
                        new Row(0, model, true, r.rating(), r.lower(), r.upper(), r.battles(), Map.of(), Map.of())));
        return new LeaderboardSnapshot("sim-bench", PairingPolicy.VIEW, Instant.EPOCH, battles.size(), rows);
    }

    /** Every model rated with an unbounded interval: every pair overlaps, so opponents are drawn at random. */
    private static LeaderboardSnapshot open(List<String> names) {
        List<Row> rows = new ArrayList<>();
        for (String m : names) {
            rows.add(new Row(0, m, true, 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0, Map.of(), Map.of()));
        }
        return new LeaderboardSnapshot("sim-bench", PairingPolicy.VIEW, Instant.EPOCH, 0, rows);
    }
}
