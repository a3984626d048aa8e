package io.assay.aggregator.stats;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * FormatSpread (Sclar et al. 2024, <i>Quantifying Language Models' Sensitivity to Spurious Features
 * in Prompt Design or: How I learned to start worrying about prompt formatting</i>, ICLR 2024): the
 * same items asked in several prompt formats, a model's accuracy in each, and how far apart they lie.
 *
 * <pre>
 * acc_f  = correct_f / n_f                 (with its 95% {@link Wilson} interval)
 * mean   = mean over formats of acc_f      (each format counts once, however many answers it has)
 * spread = max_f acc_f − min_f acc_f
 * </pre>
 */
public final class FormatSpread {
    private FormatSpread() {}

    /**
     * One verdict on an answer given in one prompt format.
     *
     * @param format the prompt format (not {@code null}; name a missing one)
     * @param correct whether the answer was right
     */
    public record Answer(String format, boolean correct) {}

    /**
     * A model's accuracy over prompt formats.
     *
     * @param perFormat the accuracy in each format with its Wilson interval, by format name
     * @param min the lowest accuracy (0 with no formats)
     * @param max the highest accuracy (0 with no formats)
     * @param mean the mean accuracy over formats (NaN with none)
     */
    public record Result(Map<String, Estimate> perFormat, double min, double max, double mean) {
        /** {@code max − min}: how much the prompt format alone moves the accuracy. */
        public double spread() {
            return max - min;
        }
    }

    /** The figures of one model's answers. */
    public static Result of(List<Answer> answers) {
        Map<String, long[]> counts = new TreeMap<>();
        for (Answer a : answers) {
            long[] c = counts.computeIfAbsent(a.format(), f -> new long[2]);
            c[0] += a.correct() ? 1 : 0;
            c[1]++;
        }
        return ofCounts(counts);
    }

    /**
     * The figures of one model's answers counted per format: {@code {correct, n}} by format name, each
     * with n &gt; 0 (a view that keeps the counts up to date needs no pass over the answers).
     */
    public static Result ofCounts(Map<String, long[]> counts) {
        Map<String, Estimate> perFormat = new TreeMap<>();
        counts.forEach((f, c) -> perFormat.put(f, Wilson.score(c[0], c[1])));
        // Summed in format-name order, so the mean is the same to the last digit on every replay.
        double[] acc = perFormat.values().stream().mapToDouble(Estimate::value).toArray();
        return new Result(
                perFormat,
                Arrays.stream(acc).min().orElse(0),
                Arrays.stream(acc).max().orElse(0),
                Stats.mean(acc));
    }
}
