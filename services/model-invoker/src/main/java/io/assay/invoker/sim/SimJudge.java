package io.assay.invoker.sim;

import io.assay.contracts.FinishReason;
import io.assay.contracts.Ids;
import io.assay.contracts.Message;
import io.assay.contracts.ModelError;
import io.assay.contracts.ModelResponse.TokenLogprob;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.SimHints;
import io.assay.contracts.Usage;
import io.assay.invoker.providers.ProviderException;
import io.assay.invoker.providers.ProviderReply;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A <strong>simulated</strong> LLM judge: it does not read the answers, it reads their latent quality
 * ({@link SimHints#qualities()}, the probability each simulated answer is right) and adds the biases
 * real judges have, then replies in the real judge output format so the judge's real prompt builder and
 * parser run on its replies.
 *
 * <p>An answer's strength is {@code logit(q)} (q clamped to [0.01, 0.99]). With the judge model's
 * {@code SimSpec} biases — {@code positionBias} β (logit in favour of the answer shown first),
 * {@code lengthBias} λ (logit per 1,000 code points of length) and {@code noise} σ (standard deviation
 * of a normal draw z) — the judge's latent verdict is:
 * <ul>
 *   <li>score (one answer shown): x = logit(q) + λ·chars/1000 + σz; the score is
 *       {@code round(1 + 9·sigmoid(x))}, written as WildBench JSON (checklist, strengths, weaknesses, score);</li>
 *   <li>pairwise (two answers, A first): d = logit(qA) − logit(qB) + β + λ·(charsA − charsB)/1000 + σz;
 *       {@code A++} if d ≥ 2, {@code A+} if d ≥ 0.5, {@code A=B} if d &gt; −0.5, {@code B+} if d &gt; −2, else
 *       {@code B++}, written as WildBench pairwise JSON;</li>
 *   <li>preference (two answers and the request asks for logprobs): P(A) = sigmoid(d); the reply is the
 *       more likely label with first-token logprobs {@code {A: ln P(A), B: ln (1 − P(A))}} (AlpacaEval).</li>
 * </ul>
 * Deterministic: the draw is seeded from (model seed, model, requestId), so a redelivered request gets
 * the same verdict and a repair request (a new id) a fresh one. Plain Java.
 */
public final class SimJudge {
    /** Error kind of a judge request to a sim judge without answer qualities. */
    public static final String MISSING_QUALITIES = "missing_simulation_hints";
    /** Verdict thresholds on the logit scale between the five pairwise levels. */
    static final double MUCH = 2.0;

    static final double BETTER = 0.5;
    private static final double CLAMP = 0.01;

    private SimJudge() {}

    /**
     * The simulated judge's reply to a JUDGE request.
     *
     * @throws ProviderException when the request carries no answer qualities (not retryable)
     */
    public static ProviderReply reply(ModelSpec model, PromptRequest request) throws ProviderException {
        SimHints hints = request.simulation();
        List<Double> qualities = hints == null ? null : hints.qualities();
        if (qualities == null || qualities.isEmpty() || qualities.size() > 2) {
            throw new ProviderException(new ModelError(
                    MISSING_QUALITIES,
                    "judge request " + request.requestId() + " for sim judge " + model.modelId()
                            + " carries no qualities of one or two answers",
                    false));
        }
        List<Integer> chars = hints.answerChars();
        SplittableRandom rng = new SplittableRandom(Long.parseUnsignedLong(
                Ids.hash("sim-judge", seed(model), model.modelId(), request.requestId())
                        .substring(0, 16),
                16));
        double z = rng.nextGaussian()
                * param(model.sim() == null ? null : model.sim().noise());
        double lambda = param(model.sim() == null ? null : model.sim().lengthBias());
        String output;
        List<TokenLogprob> logprobs = null;
        if (qualities.size() == 1) {
            double x = strength(qualities.get(0)) + lambda * length(chars, 0) / 1000.0 + z;
            output = scoreReply((int) Math.round(1 + 9 * sigmoid(x)), rng);
        } else {
            double beta = param(model.sim() == null ? null : model.sim().positionBias());
            double d = strength(qualities.get(0))
                    - strength(qualities.get(1))
                    + beta
                    + lambda * (length(chars, 0) - length(chars, 1)) / 1000.0
                    + z;
            if (request.params() != null && Boolean.TRUE.equals(request.params().logprobs())) {
                double pA = sigmoid(d);
                String label = pA >= 0.5 ? "A" : "B";
                output = label;
                logprobs = List.of(new TokenLogprob(
                        label, Math.log(Math.max(pA, 1 - pA)), Map.of("A", Math.log(pA), "B", Math.log1p(-pA))));
            } else {
                output = pairwiseReply(level(d), rng);
            }
        }
        Usage usage = new Usage(tokens(inputChars(request)), tokens(output.length()));
        return new ProviderReply(output, FinishReason.STOP, usage, 0L, logprobs, null);
    }

    /** The WildBench pairwise label of a latent difference d (A's side). */
    static String level(double d) {
        if (d >= MUCH) {
            return "A++";
        }
        if (d >= BETTER) {
            return "A+";
        }
        if (d > -BETTER) {
            return "A=B";
        }
        return d > -MUCH ? "B+" : "B++";
    }

    private static String scoreReply(int score, SplittableRandom rng) {
        String json = String.format(
                Locale.ROOT,
                "{\"checklist\": [\"(simulated) checked every point\"], "
                        + "\"strengths\": \"(simulated judge) %s\", \"weaknesses\": \"(simulated judge) %s\", \"score\": %d}",
                score >= 6 ? "mostly correct and clear" : "some relevant content",
                score >= 6 ? "minor omissions" : "errors in the main claim",
                score);
        // Real judges fence their JSON about half the time; the parser must read both.
        return rng.nextBoolean() ? json : "(simulated) Evaluation follows.\n```json\n" + json + "\n```";
    }

    private static String pairwiseReply(String label, SplittableRandom rng) {
        String json = "{\"analysis_a\": \"(simulated judge)\", \"analysis_b\": \"(simulated judge)\", "
                + "\"reason\": \"(simulated) latent quality, biases and noise\", \"choice\": \"" + label + "\"}";
        return rng.nextBoolean() ? json : "```json\n" + json + "\n```";
    }

    private static double strength(Double quality) {
        double q = quality == null || quality.isNaN() ? 0.5 : Math.min(1 - CLAMP, Math.max(CLAMP, quality));
        return Math.log(q / (1 - q));
    }

    private static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    private static int length(List<Integer> chars, int i) {
        return chars == null || chars.size() <= i || chars.get(i) == null ? 0 : chars.get(i);
    }

    private static double param(Double value) {
        return value == null || value.isNaN() ? 0.0 : value;
    }

    private static String seed(ModelSpec model) {
        Long seed = model.sim() == null ? null : model.sim().seed();
        return Long.toString(seed == null ? 0L : seed);
    }

    private static int inputChars(PromptRequest request) {
        int n = 0;
        if (request.messages() != null) {
            for (Message m : request.messages()) {
                if (m != null && m.content() != null) {
                    n += m.content().asText().length();
                }
            }
        }
        return n;
    }

    private static int tokens(int chars) {
        return (chars + 3) / 4;
    }
}
