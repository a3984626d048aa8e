package io.assay.judge.drift;

import io.assay.contracts.Kappa;
import java.util.List;

/**
 * How far a judge's new version agrees with the version before it on the judge's canaries: the same answers
 * judged by both. Agreement is the share of canaries whose two verdicts fall in the same {@link VerdictClass};
 * kappa is Cohen's kappa of the two versions' classes with its 95% interval ({@link Kappa}: Cohen 1960, the
 * standard error of Fleiss, Cohen &amp; Everitt 1969). Canaries without a verdict under either version
 * (unparseable, unscorable) are left out.
 *
 * @param benchmark the benchmark
 * @param judge the judge id
 * @param from the version before ({@code JudgeSpec.versionKey()})
 * @param to the new version
 * @param canaries canaries with a verdict under both versions (n)
 * @param agreements canaries whose two verdicts agree
 * @param agreement agreements / canaries, {@code null} without canaries
 * @param kappa Cohen's kappa, {@code null} when undefined (no canaries, or both versions put every canary in
 *     one and the same class)
 * @param kappaLower lower end of kappa's 95% interval, {@code null} with kappa
 * @param kappaUpper upper end of kappa's 95% interval, {@code null} with kappa
 */
public record Drift(
        String benchmark,
        String judge,
        String from,
        String to,
        long canaries,
        long agreements,
        Double agreement,
        Double kappa,
        Double kappaLower,
        Double kappaUpper) {

    /**
     * The drift between two versions from the verdict classes of each canary: {@code pairs[i][0]} under
     * {@code from}, {@code pairs[i][1]} under {@code to}.
     */
    public static Drift of(String benchmark, String judge, String from, String to, List<String[]> pairs) {
        long agreements = pairs.stream().filter(p -> p[0].equals(p[1])).count();
        Kappa.Result k = Kappa.of(Kappa.table(pairs));
        return new Drift(
                benchmark,
                judge,
                from,
                to,
                pairs.size(),
                agreements,
                pairs.isEmpty() ? null : (double) agreements / pairs.size(),
                finite(k.kappa()),
                finite(k.lower()),
                finite(k.upper()));
    }

    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }
}
