package io.assay.judge.drift;

/**
 * A judge's canaries, as a whole: which version's verdicts they hold, and whether they are being judged
 * again under a new version.
 *
 * @param benchmark the benchmark
 * @param judge the judge id
 * @param version the judge version ({@code JudgeSpec.versionKey()}) whose verdicts the canaries hold
 * @param rejudgingTo the version they are being judged again under, {@code null} when none
 * @param size the canaries kept (at most {@code assay.judge.canaries})
 * @param waiting canaries whose verdict under {@code rejudgingTo} is not in yet
 */
public record CanarySet(String benchmark, String judge, String version, String rejudgingTo, int size, int waiting) {

    /** This set with one more canary. */
    public CanarySet grown() {
        return new CanarySet(benchmark, judge, version, rejudgingTo, size + 1, waiting);
    }

    /** This set with one fewer canary waiting for its new verdict. */
    public CanarySet oneIn() {
        return new CanarySet(benchmark, judge, version, rejudgingTo, size, waiting - 1);
    }
}
