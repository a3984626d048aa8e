package io.assay.invoker.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.assay.contracts.AnswerFormat;
import io.assay.contracts.Ids;
import io.assay.contracts.Message;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Provider;
import io.assay.contracts.Purpose;
import io.assay.contracts.SamplingParams;
import io.assay.contracts.SimHints;
import io.assay.contracts.Variant;
import io.assay.invoker.providers.ErrorKinds;
import io.assay.invoker.providers.ProviderException;
import io.assay.invoker.providers.ProviderReply;
import io.assay.invoker.providers.SimProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimExtensionsTest {

    private static ModelSpec model(Map<String, Double> formatSkill, Double rateLimitRate) {
        return new ModelSpec(
                "m",
                null,
                Provider.SIM,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                new ModelSpec.SimSpec(0.5, 100, 0, null, 3L, formatSkill, rateLimitRate, null, null, null),
                null);
    }

    private static PromptRequest request(String format, String itemId) {
        Variant variant = new Variant(format, "1", 0, null);
        SimHints hints = new SimHints(0.5, "A", AnswerFormat.CHOICE, 4);
        return new PromptRequest(
                Ids.requestId("b", itemId, 1, "m", variant, SamplingParams.DEFAULTS),
                Purpose.EVALUATE,
                "b",
                itemId,
                1,
                "m",
                variant,
                List.of(Message.user("Q " + itemId)),
                null,
                null,
                null,
                AnswerFormat.CHOICE,
                null,
                hints,
                null,
                null,
                null);
    }

    @Test
    void formatOffsetsShiftTheProbabilityOfACorrectAnswer() {
        // Given skill 0.5, difficulty 0.5, and a format that costs 1 logit and one that adds 1
        ModelSpec model = model(Map.of("terse", -1.0, "cot", 1.0), null);

        // Then P(correct) is sigma(0) = 0.5 for the plain format, sigma(-1) and sigma(1) for the others
        assertThat(Simulator.probabilityCorrect(model, request("plain", "i"))).isCloseTo(0.5, offset(1e-12));
        assertThat(Simulator.probabilityCorrect(model, request("terse", "i"))).isCloseTo(0.2689414, offset(1e-7));
        assertThat(Simulator.probabilityCorrect(model, request("cot", "i"))).isCloseTo(0.7310586, offset(1e-7));
        // And over 4,000 items the observed accuracies follow
        int terse = 0;
        int cot = 0;
        for (int i = 0; i < 4_000; i++) {
            terse += Simulator.decidesCorrect(model, request("terse", "i" + i)) ? 1 : 0;
            cot += Simulator.decidesCorrect(model, request("cot", "i" + i)) ? 1 : 0;
        }
        assertThat(terse / 4000.0).isCloseTo(0.269, offset(0.03));
        assertThat(cot / 4000.0).isCloseTo(0.731, offset(0.03));
    }

    @Test
    void simRepliesCarryTheirLatentQuality() throws Exception {
        ModelSpec model = model(Map.of("cot", 1.0), null);

        ProviderReply reply = new SimProvider(d -> {}).call(model, request("cot", "q"), 1);

        assertThat(reply.simQuality()).isCloseTo(0.7310586, offset(1e-7));
    }

    @Test
    void simulated429sCarryRetryAfterAndNeverChangeTheAnswer() throws Exception {
        // Given a model refusing 30% of calls with 429
        ModelSpec limited = model(null, 0.3);
        ModelSpec free = model(null, null);
        SimProvider sim = new SimProvider(d -> {});
        int refused = 0;
        for (int i = 0; i < 1_000; i++) {
            PromptRequest request = request("plain", "r" + i);
            // When each is called until answered
            ProviderReply reply = null;
            for (int attempt = 1; reply == null; attempt++) {
                try {
                    reply = sim.call(limited, request, attempt);
                } catch (ProviderException e) {
                    // Then each refusal is a retryable rate_limited with a Retry-After
                    assertThat(e.error().kind()).isEqualTo(ErrorKinds.RATE_LIMITED);
                    assertThat(e.error().retryable()).isTrue();
                    assertThat(e.retryAfter()).isEqualTo(SimProvider.RETRY_AFTER);
                    refused++;
                }
            }
            // And the answer is the one the unlimited model gives
            assertThat(reply.output()).isEqualTo(sim.call(free, request, 1).output());
        }
        // And about 30% of first attempts were refused (0.3/0.7 refusals per answer)
        assertThat(refused / 1000.0).isCloseTo(0.3 / 0.7, offset(0.08));
    }
}
