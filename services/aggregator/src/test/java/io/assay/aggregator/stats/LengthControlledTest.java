package io.assay.aggregator.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.assay.aggregator.stats.LengthControlled.Pair;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * AlpacaEval 2's length-controlled win rate (Dubois et al. 2024, <i>Length-Controlled AlpacaEval</i>, §3;
 * tatsu-lab/alpaca_eval {@code src/alpaca_eval/metrics/glm_winrate.py} at commit 1020da21: {@code GLM_INFO}
 * lines 21–27 for the formula and λ, {@code _get_featurized_data} for the features, the soft labels and
 * the gamed-baseline weights λ/2, {@code fit_LogisticRegressionCV} for the L1 fit with 5-fold grouped
 * CV on duplicated rows, {@code get_length_controlled_winrate} for the LC win rate as the mean predicted
 * preference with {@code std_delta_len = 0}; the joint estimation of instruction difficulty in
 * {@code notebooks/instruction_difficulty.ipynb}) against {@code src/test/resources/lc/fixtures.json},
 * computed independently by {@code reference.py} (scipy L-BFGS-B then Newton on the support, cross-checked
 * with scikit-learn's liblinear on upstream's duplicated rows).
 */
class LengthControlledTest {
    /** Win-rate points. */
    private static final double POINTS = 1e-4;

    private static final String GIVEN = "difficulty given, gamed baselines";
    private static final String PLAIN = "difficulty given, no gamed baselines";
    private static final String ESTIMATED = "difficulty estimated, gamed baselines";
    private static final String SMALL = "difficulty estimated, small";

    @Test
    void crossValidatedFitsMatchTheReferenceWithGivenDifficultyAndGamedBaselines() throws IOException {
        assertCaseMatches(GIVEN);
    }

    @Test
    void crossValidatedFitsMatchTheReferenceWithoutGamedBaselines() throws IOException {
        assertCaseMatches(PLAIN);
    }

    @Test
    void estimatedDifficultyAndFitsMatchTheReference() throws IOException {
        assertCaseMatches(ESTIMATED);
        assertCaseMatches(SMALL);
    }

    @Test
    void fitsAtAGivenPenaltyMatchTheReference() throws IOException {
        // The solver alone, without the cross-validated choice of C: C = 0.05 shrinks every
        // coefficient to 0 (LC = 50), C = 1 keeps some, C = 100 nearly the unpenalised GLM.
        JsonNode c = fixture(GIVEN);
        Map<String, List<Pair>> pairs = pairs(c);
        Map<String, List<Pair>> gamed = gamed(pairs, c.get("baseline").asText());
        Map<String, Double> gamma = difficulty(c.get("difficulty"));
        c.get("expected")
                .get("models")
                .fields()
                .forEachRemaining(e -> e.getValue().get("fixed").fields().forEachRemaining(f -> {
                    LengthControlled.Fit fit =
                            LengthControlled.fit(pairs.get(e.getKey()), gamed, gamma, Double.parseDouble(f.getKey()));
                    assertThat(fit.lcWinRate())
                            .as(e.getKey() + " at C=" + f.getKey())
                            .isCloseTo(f.getValue().get("lc").asDouble(), within(POINTS));
                }));
    }

    @Test
    void withEqualLengthsAndNoDifficultyTheLcWinRateIsTheShrunkRawWinRateAndItsInterval() {
        // Given: ten items, equal lengths (no length feature), γ = 0 (no instruction feature), y mean 0.7
        List<Pair> model = IntStream.range(0, 10)
                .mapToObj(i -> new Pair("q" + i, i < 7 ? 2.0 : 1.0, 100, 100))
                .toList();
        Map<String, Double> gamma = new TreeMap<>();
        model.forEach(p -> gamma.put(p.itemId(), 0.0));

        // When: fitted with C = 10⁴
        LengthControlled.Fit fit = LengthControlled.fit(model, Map.of(), gamma, 1e4);

        // Then: only θ_model is left; its optimality condition C·Σ(σ(θ) − y) + sign(θ) = 0 gives
        // σ(θ) = ȳ − 1/(C·n) = 0.7 − 10⁻⁵, and LC = 100·σ(θ) = 69.999, the GLM's fitted win rate
        assertThat(fit.theta()[0]).isZero();
        assertThat(fit.theta()[1]).isZero();
        assertThat(fit.lcWinRate()).isCloseTo(69.999, within(1e-6));

        // And the interval: x = (0, 0, 1) on every row, so H⁺ keeps θ_model only: H = n·s(1 − s), B = Σ (y − s)²,
        // g = 100·s(1 − s); gᵀVg = 100²·Σ (y − s)²/n² with s = σ(θ_model); every prediction is s, so
        // lc_standard_error is 0 (to rounding): LC ∓ 1.96·100·√(7(1 − s)² + 3s²)/10, the raw win rate's own
        double[] interval = LengthControlled.interval(model, Map.of(), gamma, fit);
        double s = 0.7 - 1e-5;
        double half = 1.959963984540054 * 100 * Math.sqrt(7 * (1 - s) * (1 - s) + 3 * s * s) / 10;
        assertThat(fit.lcStandardError()).isCloseTo(0, within(1e-12));
        assertThat(interval[0]).isCloseTo(100 * s - half, within(1e-6));
        assertThat(interval[1]).isCloseTo(100 * s + half, within(1e-6));
    }

    @Test
    void theLcStandardErrorIsTheStandardErrorOfTheMeanOfThePredictions() {
        // Given: four rows, γ 0, 0, 1, 1, and θ_instr = ln 3, θ_model = 0 (θ_len has no part in the predictions)
        LengthControlled.Rows rows =
                new LengthControlled.Rows(new double[] {5, -5, 7, 0}, new double[4], new double[] {0, 0, 1, 1});
        double[] theta = {0.8, Math.log(3), 0};

        // When
        double se = LengthControlled.lcStandardError(rows, theta);

        // Then: predictions σ(0) = 0.5 twice and σ(ln 3) = 0.75 twice, mean 0.625; sample sd
        // sqrt(4 · 0.125² / 3) = 0.25/√3; over √4: 0.125/√3; in points 12.5/√3 (pandas' Series.sem() · 100)
        assertThat(se).isCloseTo(12.5 / Math.sqrt(3), within(1e-12));
        // one row: no sample sd (pandas gives NaN); equal predictions: 0 (to rounding)
        assertThat(LengthControlled.lcStandardError(
                        new LengthControlled.Rows(new double[1], new double[1], new double[] {1}), theta))
                .isNaN();
        assertThat(LengthControlled.lcStandardError(rows, new double[] {0.8, 0, 0.3}))
                .isCloseTo(0, within(1e-12));
    }

    @Test
    void aFitsLcStandardErrorIsOverItsOwnRowsAndCoefficients() throws IOException {
        // Given: the reference case's model "alpha", fitted with its C cross-validated
        JsonNode c = fixture(GIVEN);
        Map<String, List<Pair>> pairs = pairs(c);
        Map<String, Double> gamma = difficulty(c.get("difficulty"));
        LengthControlled.Fit fit = LengthControlled.fit(
                pairs.get("alpha"), gamed(pairs, c.get("baseline").asText()), gamma);

        // When: upstream's sem worked out here over alpha's rows, with the fit's coefficients: each row's prediction
        // with the length term at 0, z = θ_instr·γ + θ_model, written out as 1/(1 + e^−z) rather than through the
        // code under test
        double thetaInstr = fit.theta()[1];
        double thetaModel = fit.theta()[2];
        double[] p = pairs.get("alpha").stream()
                .mapToDouble(x -> thetaInstr * gamma.get(x.itemId()) + thetaModel)
                .map(z -> 1 / (1 + Math.exp(-z)))
                .toArray();
        double mean = Arrays.stream(p).average().orElseThrow();
        double sd = Math.sqrt(Arrays.stream(p).map(v -> (v - mean) * (v - mean)).sum() / (p.length - 1));

        // Then: the fit carries it, and the LC win rate is the mean of the same predictions
        assertThat(fit.lcStandardError()).isCloseTo(100 * sd / Math.sqrt(p.length), within(1e-9));
        assertThat(fit.lcWinRate()).isCloseTo(100 * mean, within(1e-9));
    }

    @Test
    void theIntervalIsTheDeltaMethodsWithTheSandwichAndTheItemsSpread() throws IOException {
        // Given: the reference case's model "alpha" with the two gamed baselines, fitted with C cross-validated
        JsonNode c = fixture(GIVEN);
        Map<String, List<Pair>> pairs = pairs(c);
        Map<String, List<Pair>> gamed = gamed(pairs, c.get("baseline").asText());
        Map<String, Double> gamma = difficulty(c.get("difficulty"));
        LengthControlled.Fit fit = LengthControlled.fit(pairs.get("alpha"), gamed, gamma);

        // When
        double[] interval = LengthControlled.interval(pairs.get("alpha"), gamed, gamma, fit);

        // Then: numpy's, from the same rows and this θ (H, B and g summed over the rows, np.linalg.pinv;
        // src/test/resources/lc/delta.py)
        assertThat(fit.theta())
                .containsExactly(
                        new double[] {-0.48673762950266974, -0.5244966507571178, 0.05483787351964278}, within(1e-12));
        assertThat(fit.lcStandardError()).isCloseTo(1.4225797267113975, within(1e-12));
        assertThat(interval[0]).isCloseTo(44.96252924861812, within(1e-9));
        assertThat(interval[1]).isCloseTo(62.83402487159018, within(1e-9));
    }

    @Test
    void thePseudoInverseInvertsWhatIsInvertibleAndLeavesOutADeadColumn() {
        // Given: an invertible symmetric matrix, and one whose middle column is zero (γ equal to 0 on every row)
        double[][] a = {{4, 1, 0.5}, {1, 3, 0.25}, {0.5, 0.25, 2}};
        double[][] dead = {{4, 0, 0.5}, {0, 0, 0}, {0.5, 0, 2}};

        // When
        double[][] ai = LengthControlled.pseudoInverse(a);
        double[][] di = LengthControlled.pseudoInverse(dead);

        // Then: A·A⁺ = I; the dead column's row and column are 0 and the rest is the inverse of [[4, .5], [.5, 2]]
        // = [[2, −.5], [−.5, 4]] / 7.75
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double product = 0;
                for (int k = 0; k < 3; k++) {
                    product += a[i][k] * ai[k][j];
                }
                assertThat(product).isCloseTo(i == j ? 1 : 0, within(1e-12));
            }
        }
        assertThat(di[0][0]).isCloseTo(2 / 7.75, within(1e-12));
        assertThat(di[0][2]).isCloseTo(-0.5 / 7.75, within(1e-12));
        assertThat(di[2][2]).isCloseTo(4 / 7.75, within(1e-12));
        assertThat(di[1]).containsOnly(0.0);
        assertThat(di[0][1]).isZero();
    }

    private static void assertCaseMatches(String name) throws IOException {
        JsonNode c = fixture(name);
        String baseline = c.get("baseline").asText();
        Map<String, List<Pair>> pairs = pairs(c);
        Map<String, List<Pair>> gamed = gamed(pairs, baseline);
        Map<String, Double> gamma;
        if (c.get("difficulty").isNull()) {
            gamma = LengthControlled.estimateDifficulty(pairs);
            Map<String, Double> expected = difficulty(c.get("expected").get("difficulty"));
            assertThat(gamma).containsOnlyKeys(expected.keySet());
            expected.forEach((item, g) ->
                    assertThat(gamma.get(item)).as(name + " γ " + item).isCloseTo(g, within(1e-5)));
        } else {
            gamma = difficulty(c.get("difficulty"));
        }
        c.get("expected").get("models").fields().forEachRemaining(e -> {
            JsonNode want = e.getValue();
            LengthControlled.Fit fit = LengthControlled.fit(pairs.get(e.getKey()), gamed, gamma);
            assertThat(fit.c())
                    .as(name + " " + e.getKey() + " C")
                    .isEqualTo(want.get("c").asDouble(), within(1e-9));
            assertThat(fit.lcWinRate())
                    .as(name + " " + e.getKey() + " LC")
                    .isCloseTo(want.get("lc").asDouble(), within(POINTS));
            for (int j = 0; j < 3; j++) {
                assertThat(fit.theta()[j])
                        .as(name + " " + e.getKey() + " " + LengthControlled.COEFFICIENTS.get(j))
                        .isCloseTo(want.get("theta").get(j).asDouble(), within(1e-5));
            }
        });
    }

    private static JsonNode fixture(String name) throws IOException {
        try (InputStream in = LengthControlledTest.class.getResourceAsStream("/lc/fixtures.json")) {
            for (JsonNode c : new ObjectMapper().readTree(in).get("cases")) {
                if (c.get("name").asText().equals(name)) {
                    return c;
                }
            }
        }
        throw new IllegalArgumentException(name);
    }

    private static Map<String, List<Pair>> pairs(JsonNode c) {
        Map<String, List<Pair>> out = new LinkedHashMap<>();
        c.get("pairs").fields().forEachRemaining(e -> {
            List<Pair> ps = new ArrayList<>();
            e.getValue()
                    .forEach(r -> ps.add(new Pair(
                            r.get(0).asText(),
                            r.get(1).asDouble(),
                            r.get(2).asInt(),
                            r.get(3).asInt())));
            out.put(e.getKey(), ps);
        });
        return out;
    }

    private static Map<String, List<Pair>> gamed(Map<String, List<Pair>> pairs, String baseline) {
        Map<String, List<Pair>> out = new TreeMap<>();
        pairs.forEach((m, ps) -> {
            if (LengthControlled.isGamedBaseline(m, baseline)) {
                out.put(m, ps);
            }
        });
        return out;
    }

    private static Map<String, Double> difficulty(JsonNode node) {
        Map<String, Double> out = new TreeMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asDouble()));
        return out;
    }
}
