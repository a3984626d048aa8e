package io.assay.invoker.providers;

import io.assay.contracts.FinishReason;
import io.assay.contracts.ModelError;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Purpose;
import io.assay.invoker.sim.SimAnswer;
import io.assay.invoker.sim.SimJudge;
import io.assay.invoker.sim.Simulator;
import java.time.Duration;

/**
 * The {@code sim} provider: answers come from the {@link Simulator} and are <strong>simulated</strong>.
 * It really waits the simulated latency, on the calling (worker) thread, so concurrency limits and
 * backpressure behave as with a real provider. It also refuses calls with a simulated 429 and
 * {@code Retry-After} ({@code rateLimitRate}) and fails them transiently ({@code errorRate}), each
 * drawn per attempt from its own stream, so neither ever changes an answer.
 */
public final class SimProvider implements ModelProvider {
    /** Error kind of a request without simulation hints. */
    public static final String MISSING_HINTS = "missing_simulation_hints";
    /** Error kind of a sim model registered without its {@code sim} parameters. */
    public static final String MISSING_SIM_SPEC = "missing_sim_spec";
    /** Error kind of a simulated transient failure. */
    public static final String TRANSIENT = ErrorKinds.TRANSIENT;
    /** The {@code Retry-After} of a simulated 429. */
    public static final Duration RETRY_AFTER = Duration.ofMillis(200);

    private final Sleeper sleeper;

    /** With the way to wait out the simulated latency. */
    public SimProvider(Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    @Override
    public ProviderReply call(ModelSpec model, PromptRequest request, int attempt)
            throws ProviderException, InterruptedException {
        if (model.sim() == null) {
            throw new ProviderException(new ModelError(
                    MISSING_SIM_SPEC, "sim model " + model.modelId() + " is registered without sim parameters", false));
        }
        if (Simulator.rateLimitsAttempt(model, request, attempt)) {
            throw new ProviderException(
                    new ModelError(ErrorKinds.RATE_LIMITED, "simulated 429 on attempt " + attempt, true), RETRY_AFTER);
        }
        if (Simulator.failsAttempt(model, request, attempt)) {
            throw new ProviderException(
                    new ModelError(TRANSIENT, "simulated transient error on attempt " + attempt, true));
        }
        if (request.purpose() == Purpose.JUDGE) {
            // The sim judge (io.assay.invoker.sim.SimJudge) grades simulated answers by their latent quality.
            return SimJudge.reply(model, request);
        }
        if (request.simulation() == null) {
            throw new ProviderException(new ModelError(
                    MISSING_HINTS, "request for sim model " + model.modelId() + " has no simulation hints", false));
        }
        SimAnswer answer = Simulator.answer(model, request);
        sleeper.sleep(Duration.ofMillis(answer.latencyMs()));
        return new ProviderReply(
                answer.output(), FinishReason.STOP, answer.usage(), answer.latencyMs(), null, answer.quality());
    }
}
