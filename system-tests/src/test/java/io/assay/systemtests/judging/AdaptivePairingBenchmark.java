package io.assay.systemtests.judging;

import io.assay.contracts.JudgeSpec;
import io.assay.systemtests.judging.AdaptivePairing.Point;
import io.assay.systemtests.judging.AdaptivePairing.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Kendall τ against the true ranking as a function of judge calls ({@link AdaptivePairing}), for the fixed
 * three-baseline protocol, the adaptive policy at several budgets and a random-opponent control, averaged
 * over seeds. Prints figures, asserts nothing: {@code ./mvnw -o -q -pl system-tests -am test
 * -Dtest=AdaptivePairingBenchmark -Dassay.bench=adaptive -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "assay.bench", matches = "adaptive")
class AdaptivePairingBenchmark {
    private static final int SEEDS = 10;
    private static final int MODELS = 20;
    private static final int ITEMS = 500;
    private static final int EVERY = 10;
    private static final int REFRESH = 200;

    @Test
    void tauAgainstJudgeCalls() {
        for (double spread : new double[] {3.0, 1.5}) {
            List<Protocol> protocols = List.of(
                    new Protocol("fixed, 3 baselines", null, false),
                    new Protocol("adaptive, 1 opponent", adaptive(1), false),
                    new Protocol("adaptive, 2 opponents", adaptive(2), false),
                    new Protocol("adaptive, 3 opponents", adaptive(3), false),
                    new Protocol("random, 1 opponent (control)", adaptive(1), true));
            List<List<Point>> curves = new ArrayList<>();
            for (Protocol p : protocols) {
                curves.add(mean(p, spread));
            }
            System.out.printf(
                    Locale.ROOT,
                    "%n%d models, strengths evenly spaced over %.1f logits, %d items, %d seeds, snapshot every %d calls%n",
                    MODELS,
                    spread,
                    ITEMS,
                    SEEDS,
                    REFRESH);
            StringBuilder head = new StringBuilder("| items |");
            StringBuilder rule = new StringBuilder("|---|");
            for (Protocol p : protocols) {
                head.append(' ').append(p.name()).append(": calls, τ |");
                rule.append("---|");
            }
            System.out.println(head);
            System.out.println(rule);
            for (int i = 0; i < curves.get(0).size(); i++) {
                int items = curves.get(0).get(i).items();
                if (!List.of(10, 20, 30, 50, 100, 200, 300, 500).contains(items)) {
                    continue;
                }
                StringBuilder line = new StringBuilder("| " + items + " |");
                for (List<Point> c : curves) {
                    line.append(String.format(
                            Locale.ROOT,
                            " %d, %.3f |",
                            c.get(i).calls(),
                            c.get(i).tau()));
                }
                System.out.println(line);
            }
            System.out.println();
            System.out.println("| protocol | calls at " + ITEMS + " items | share of fixed | τ at " + ITEMS
                    + " items | calls to mean τ ≥ 0.9 | share of fixed's calls to τ ≥ 0.9 |");
            System.out.println("|---|---|---|---|---|---|");
            long fixed = curves.get(0).get(curves.get(0).size() - 1).calls();
            long fixedFirst = firstAbove(curves.get(0));
            for (int k = 0; k < protocols.size(); k++) {
                List<Point> c = curves.get(k);
                Point last = c.get(c.size() - 1);
                long first = firstAbove(c);
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %d | %.0f%% | %.3f | %s | %s |%n",
                        protocols.get(k).name(),
                        last.calls(),
                        100.0 * last.calls() / fixed,
                        last.tau(),
                        first < 0 ? "never" : Long.toString(first),
                        first < 0 || fixedFirst < 0
                                ? "-"
                                : String.format(Locale.ROOT, "%.0f%%", 100.0 * first / fixedFirst));
            }
        }
    }

    /** The calls at the first point (every {@code EVERY} items) whose mean τ is at least 0.9; -1 if none. */
    private static long firstAbove(List<Point> curve) {
        for (Point p : curve) {
            if (p.tau() >= 0.9) {
                return p.calls();
            }
        }
        return -1;
    }

    private static JudgeSpec.Pairing adaptive(int opponents) {
        return new JudgeSpec.Pairing(JudgeSpec.Pairing.ADAPTIVE, opponents);
    }

    /** The mean curve over the seeds (same items, so the points line up). */
    private static List<Point> mean(Protocol protocol, double spread) {
        List<Point> sum = null;
        for (int s = 0; s < SEEDS; s++) {
            List<Point> run = AdaptivePairing.run(protocol, MODELS, spread, ITEMS, EVERY, REFRESH, 1000 + s);
            if (sum == null) {
                sum = new ArrayList<>();
                for (Point p : run) {
                    sum.add(new Point(p.items(), 0, 0));
                }
            }
            for (int i = 0; i < run.size(); i++) {
                Point a = sum.get(i);
                Point b = run.get(i);
                sum.set(i, new Point(a.items(), a.calls() + b.calls(), a.tau() + b.tau()));
            }
        }
        List<Point> out = new ArrayList<>();
        for (Point p : sum) {
            out.add(new Point(p.items(), p.calls() / SEEDS, p.tau() / SEEDS));
        }
        return out;
    }
}
