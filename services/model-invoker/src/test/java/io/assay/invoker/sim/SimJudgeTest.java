package io.assay.invoker.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
import io.assay.invoker.providers.ProviderException;
import io.assay.invoker.providers.ProviderReply;
import io.assay.invoker.providers.SimProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The simulated judge. Replies are read here with the two fields the judge service's parser reads
 * ({@code "score": N}, {@code "choice": "X"}); the judge service's own tests parse the same format.
 */
class SimJudgeTest {
    private static final Logger LOG = Logger.getLogger(SimJudgeTest.class);
    private static final Pattern SCORE = Pattern.compile("\"score\": (\\d+)");
    private static final Pattern CHOICE = Pattern.compile("\"choice\": \"([AB=+]+)\"");
    private static final Map<String, Integer> SIDE = Map.of("A++", 2, "A+", 1, "A=B", 0, "B+", -1, "B++", -2);
    private static final SamplingParams JUDGE_PARAMS = new SamplingParams(0.0, null, 1024, null, null, null, null);
    private static final SamplingParams LOGPROBS = new SamplingParams(0.0, null, 1, null, null, true, 5);

    @Test
    void scoresFollowQualityInTheRealFormat() throws Exception {
        ModelSpec judge = judge(0, 0, 0);
        int low = score(judge, "r1", 0.1);
        int high = score(judge, "r2", 0.95);
        // round(1 + 9 sigmoid(logit q)) = round(1 + 9q): 0.1 -> 2, 0.95 -> 10 (noise 0)
        assertThat(low).isEqualTo(2);
        assertThat(high).isEqualTo(10);
        // Deterministic: the same request gets the same reply
        PromptRequest request = request("r1", JUDGE_PARAMS, List.of(0.1), List.of(100));
        assertThat(SimJudge.reply(judge, request).output())
                .isEqualTo(SimJudge.reply(judge, request).output());
        assertThat(SimJudge.reply(judge, request).output())
                .contains("\"checklist\"")
                .contains("\"strengths\"")
                .contains("(simulated");
    }

    @Test
    void lengthBiasFavoursTheLongerAnswer() throws Exception {
        ModelSpec biased = judge(0, 2.0, 0);
        // Equal quality, A is 1,000 code points longer: d = 2 -> A++
        ProviderReply reply = SimJudge.reply(biased, request("p", JUDGE_PARAMS, List.of(0.5, 0.5), List.of(1500, 500)));
        assertThat(choice(reply)).isEqualTo("A++");
        assertThat(choice(SimJudge.reply(
                        judge(0, 0, 0), request("p", JUDGE_PARAMS, List.of(0.5, 0.5), List.of(1500, 500)))))
                .isEqualTo("A=B");
    }

    @Test
    void preferenceRepliesCarryLabelLogprobs() throws Exception {
        // qualities 0.8 vs 0.5: d = logit(0.8) = ln 4, P(A) = 0.8
        ProviderReply reply =
                SimJudge.reply(judge(0, 0, 0), request("pref", LOGPROBS, List.of(0.8, 0.5), List.of(10, 10)));
        assertThat(reply.output()).isEqualTo("A");
        Map<String, Double> top = reply.logprobs().get(0).top();
        assertThat(Math.exp(top.get("A"))).isCloseTo(0.8, within(1e-9));
        assertThat(Math.exp(top.get("A")) + Math.exp(top.get("B"))).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void aJudgeRequestWithoutQualitiesIsATypedFailure() {
        PromptRequest bare = request("x", JUDGE_PARAMS, null, null);
        assertThatThrownBy(() -> SimJudge.reply(judge(0, 0, 0), bare))
                .isInstanceOf(ProviderException.class)
                .extracting(e -> ((ProviderException) e).error().retryable())
                .isEqualTo(false);
    }

    @Test
    void theSimProviderDispatchesJudgeRequestsToTheSimJudge() throws Exception {
        SimProvider provider = new SimProvider(d -> {});
        ProviderReply reply =
                provider.call(judge(0, 0, 0), request("d", JUDGE_PARAMS, List.of(0.5, 0.5), List.of(1, 1)), 1);
        assertThat(choice(reply)).isEqualTo("A=B");
    }

    @Test
    void withStrongFirstPositionBiasSingleOrderRanksWronglyAndSwappingRecoversTheTrueOrder() throws Exception {
        // Given three models whose true order is charlie > bravo > alpha (Rasch skill 1, 0, -1 over items of
        // difficulty in [-1, 1]), and a judge with a strong first-position bias (3 logits) and some noise
        Map<String, Double> skill = new LinkedHashMap<>();
        skill.put("alpha", -1.0);
        skill.put("bravo", 0.0);
        skill.put("charlie", 1.0);
        ModelSpec judge = judge(3.0, 0, 0.7);
        SplittableRandom items = new SplittableRandom(7);
        Map<String, Double> single = new LinkedHashMap<>();
        Map<String, Double> swapped = new LinkedHashMap<>();
        List<String> models = new ArrayList<>(skill.keySet());

        // When every pair is judged on 300 items, single order showing the alphabetically first model as A
        // (as a fixed presentation order does), and swapped: both orders, subject-side values averaged
        for (int item = 0; item < 300; item++) {
            double difficulty = -1 + 2 * items.nextDouble();
            for (int i = 0; i < models.size(); i++) {
                for (int j = i + 1; j < models.size(); j++) {
                    String a = models.get(i);
                    String b = models.get(j);
                    double qa = sigmoid(skill.get(a) - difficulty);
                    double qb = sigmoid(skill.get(b) - difficulty);
                    String pair = item + "/" + a + "/" + b;
                    int aFirst = SIDE.get(choice(SimJudge.reply(
                            judge, request(pair + "/ab", JUDGE_PARAMS, List.of(qa, qb), List.of(300, 300)))));
                    int bFirst = SIDE.get(choice(SimJudge.reply(
                            judge, request(pair + "/ba", JUDGE_PARAMS, List.of(qb, qa), List.of(300, 300)))));
                    single.merge(a, (double) aFirst, Double::sum);
                    single.merge(b, (double) -aFirst, Double::sum);
                    double aSide = (aFirst - bFirst) / 2.0;
                    swapped.merge(a, aSide, Double::sum);
                    swapped.merge(b, -aSide, Double::sum);
                }
            }
        }

        // Then single-order judging ranks the models in the wrong order, and swapped judging in the true one
        LOG.infof("sim judge, position bias 3: single-order totals %s, swapped totals %s", single, swapped);
        assertThat(ranking(single)).isNotEqualTo(List.of("charlie", "bravo", "alpha"));
        assertThat(ranking(single).get(0)).isEqualTo("alpha");
        assertThat(ranking(swapped)).containsExactly("charlie", "bravo", "alpha");
    }

    private static List<String> ranking(Map<String, Double> totals) {
        return totals.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .map(Map.Entry::getKey)
                .toList();
    }

    private static int score(ModelSpec judge, String id, double quality) throws ProviderException {
        Matcher m = SCORE.matcher(SimJudge.reply(judge, request(id, JUDGE_PARAMS, List.of(quality), List.of(100)))
                .output());
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static String choice(ProviderReply reply) {
        Matcher m = CHOICE.matcher(reply.output());
        assertThat(m.find()).as(reply.output()).isTrue();
        return m.group(1);
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static ModelSpec judge(double positionBias, double lengthBias, double noise) {
        return new ModelSpec(
                "sim-judge",
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
                new ModelSpec.SimSpec(0, 100, 0, 0.0, 11L, null, null, positionBias, lengthBias, noise),
                null);
    }

    static PromptRequest request(String id, SamplingParams params, List<Double> qualities, List<Integer> chars) {
        return new PromptRequest(
                Ids.hash("judge-test", id),
                Purpose.JUDGE,
                "bench",
                "item",
                1,
                "sim-judge",
                new Variant("plain", "1", 0, null),
                List.of(Message.user("judge this")),
                params,
                null,
                null,
                null,
                null,
                new SimHints(0.0, "", AnswerFormat.TEXT, null, qualities, chars),
                "arena",
                List.of("s", "b"),
                null);
    }
}
