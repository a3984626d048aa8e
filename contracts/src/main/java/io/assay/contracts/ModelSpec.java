package io.assay.contracts;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A registered model, published to the compacted topic {@code assay.models} keyed by
 * {@code modelId}; a tombstone retires it.
 *
 * @param modelId unique id used everywhere (leaderboard rows, request ids)
 * @param displayName optional human name
 * @param provider how it is reached
 * @param baseUrl endpoint base URL ({@code openai})
 * @param providerModel the provider's name for the model ({@code openai})
 * @param credentialEnv the <em>name</em> of the environment variable holding the API key; never
 *     the key itself
 * @param params default sampling parameters
 * @param knowledgeCutoff the model's training-data cutoff (contamination-free views)
 * @param previousVersion the modelId of the previous version (regression reports)
 * @param price cost per million tokens
 * @param limits rate and concurrency limits
 * @param benchmarks the benchmarks it is evaluated on; empty or absent means all
 * @param sim the simulator's parameters ({@code sim} only)
 * @param registeredAt when it was registered
 */
public record ModelSpec(
        String modelId,
        String displayName,
        Provider provider,
        String baseUrl,
        String providerModel,
        String credentialEnv,
        SamplingParams params,
        LocalDate knowledgeCutoff,
        String previousVersion,
        Price price,
        Limits limits,
        List<String> benchmarks,
        SimSpec sim,
        Instant registeredAt) {

    /** Whether this model is evaluated on {@code benchmark}. */
    public boolean evaluates(String benchmark) {
        return benchmarks == null || benchmarks.isEmpty() || benchmarks.contains(benchmark);
    }

    /** Whether answers of this model are simulated. */
    public boolean simulated() {
        return provider == Provider.SIM;
    }

    /** The sampling parameters, provider defaults when absent. */
    public SamplingParams paramsOrDefault() {
        return params == null ? SamplingParams.DEFAULTS : params;
    }

    /**
     * The sampling parameters of a call to this model: each field as {@code requested}, else this
     * model's default, else absent (the provider's default).
     */
    public SamplingParams paramsFor(SamplingParams requested) {
        SamplingParams r = requested == null ? SamplingParams.DEFAULTS : requested;
        SamplingParams m = paramsOrDefault();
        return new SamplingParams(
                r.temperature() != null ? r.temperature() : m.temperature(),
                r.topP() != null ? r.topP() : m.topP(),
                r.maxTokens() != null ? r.maxTokens() : m.maxTokens(),
                r.seed() != null ? r.seed() : m.seed(),
                r.stop() != null ? r.stop() : m.stop(),
                r.logprobs() != null ? r.logprobs() : m.logprobs(),
                r.topLogprobs() != null ? r.topLogprobs() : m.topLogprobs());
    }

    /**
     * Prices in US dollars per million tokens.
     *
     * @param inputPerMillion price of a million input tokens
     * @param outputPerMillion price of a million output tokens
     */
    public record Price(double inputPerMillion, double outputPerMillion) {}

    /**
     * Limits the invoker keeps for this model.
     *
     * @param maxConcurrency requests in flight at once
     * @param requestsPerSecond request rate
     * @param tokensPerMinute token rate
     */
    public record Limits(Integer maxConcurrency, Double requestsPerSecond, Integer tokensPerMinute) {}

    /**
     * Parameters of a simulated model (Rasch model: P(correct) = sigma(skill - difficulty)).
     *
     * @param skill latent ability theta on the logit scale
     * @param meanAnswerChars mean answer length in characters (verbosity)
     * @param meanLatencyMs mean simulated latency in milliseconds (exponentially distributed)
     * @param errorRate probability that one call fails with a transient error
     * @param seed seed of the simulator's randomness
     * @param formatSkill skill offsets per prompt format (added to {@code skill}), so formats matter
     * @param rateLimitRate probability that one call is refused with 429 and {@code Retry-After}
     * @param positionBias as a judge: logit added in favour of the answer shown first (pairwise)
     * @param lengthBias as a judge: logit added per 1,000 code points the answer is longer
     * @param noise as a judge: standard deviation of the noise added to each verdict's logit
     * @param firstChoiceBias as a model answering multiple choice: the probability, in [0, 1], that it answers
     *     the choice shown first ({@code A}) whatever it knows (an A-bias; {@code position-bias} shows it)
     */
    public record SimSpec(
            double skill,
            Integer meanAnswerChars,
            Integer meanLatencyMs,
            Double errorRate,
            Long seed,
            Map<String, Double> formatSkill,
            Double rateLimitRate,
            Double positionBias,
            Double lengthBias,
            Double noise,
            Double firstChoiceBias) {

        /** A simulated model with no format offsets, rate limiting or biases. */
        public SimSpec(double skill, Integer meanAnswerChars, Integer meanLatencyMs, Double errorRate, Long seed) {
            this(skill, meanAnswerChars, meanLatencyMs, errorRate, seed, null, null, null, null, null, null);
        }

        /** A simulated model without an A-bias. */
        public SimSpec(
                double skill,
                Integer meanAnswerChars,
                Integer meanLatencyMs,
                Double errorRate,
                Long seed,
                Map<String, Double> formatSkill,
                Double rateLimitRate,
                Double positionBias,
                Double lengthBias,
                Double noise) {
            this(
                    skill,
                    meanAnswerChars,
                    meanLatencyMs,
                    errorRate,
                    seed,
                    formatSkill,
                    rateLimitRate,
                    positionBias,
                    lengthBias,
                    noise,
                    null);
        }
    }
}
