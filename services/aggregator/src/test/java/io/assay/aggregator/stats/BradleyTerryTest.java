package io.assay.aggregator.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.assay.contracts.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bradley–Terry against reference values computed independently: {@code src/test/resources/bt/*.json},
 * written by {@code bt/reference.py} with scikit-learn's {@code LogisticRegression} on the design of
 * Chatbot Arena's {@code compute_mle_elo} (lm-sys/FastChat {@code fastchat/serve/monitor/elo_analysis.py},
 * {@code fit_mle_elo}) and scipy's strongly connected components; and the two-model closed form
 * R_a − R_b = 400·log10(w_a / w_b) (Bradley &amp; Terry 1952, with ties as half wins).
 */
class BradleyTerryTest {
    /** Elo points; the fixtures' gradients are below 1e-7, the Java fit's steps below 4e-9 points. */
    private static final double REFERENCE = 1e-5;

    private static final int RESAMPLES = BradleyTerry.RESAMPLES;
    private static final long SEED = 7;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dense", "sparse", "one-baseline", "one-baseline-sweep", "disconnected"})
    void matchesTheLogisticRegressionFixture(String name) {
        JsonNode fixture = fixture(name);
        List<Battle> battles = battles(fixture);
        for (JsonNode fit : fixture.get("fits")) {
            String anchor =
                    fit.get("anchor").isNull() ? null : fit.get("anchor").asText();
            Set<String> identified = new TreeSet<>();
            fit.get("identified").forEach(m -> identified.add(m.asText()));

            // When: the point fit, the identification and the bootstrap
            Map<String, Double> ratings = BradleyTerry.fit(battles, anchor);
            Map<String, BradleyTerry.Rating> boot = BradleyTerry.ratings(battles, anchor, RESAMPLES, SEED);

            // Then: the identified models' ratings equal the regression's, the others have no interval
            assertThat(BradleyTerry.identified(battles, anchor)).as(anchor).isEqualTo(identified);
            fit.get("ratings").fields().forEachRemaining(e -> {
                assertThat(ratings.get(e.getKey()))
                        .as("%s anchor %s", e.getKey(), anchor)
                        .isCloseTo(e.getValue().asDouble(), within(REFERENCE));
                assertThat(boot.get(e.getKey()).rating()).isEqualTo(ratings.get(e.getKey()));
            });
            boot.forEach((model, r) -> {
                assertThat(r.identified()).as(model).isEqualTo(identified.contains(model));
                if (identified.contains(model)) {
                    assertThat(r.lower()).as(model).isNotNull().isLessThanOrEqualTo(r.upper());
                    assertThat(r.resamplesIdentified()).isPositive();
                } else {
                    assertThat(r.lower()).as(model).isNull();
                    assertThat(r.upper()).as(model).isNull();
                }
            });
        }
    }

    @Test
    void twoModelsFollowTheClosedForm() {
        // Given: a beats b 7 times, b beats a 3 times, 2 ties → a scores 8, b scores 4
        List<Battle> battles = new ArrayList<>();
        add(battles, "a", "b", 7, 2, 3);

        // Then: R_a − R_b = 400·log10(8/4), centred on 1000, or b at 1000 when anchored
        double gap = 400 * Math.log10(2);
        assertThat(BradleyTerry.fit(battles, null).get("a")).isCloseTo(1000 + gap / 2, within(1e-9));
        assertThat(BradleyTerry.fit(battles, null).get("b")).isCloseTo(1000 - gap / 2, within(1e-9));
        assertThat(BradleyTerry.fit(battles, "b").get("a")).isCloseTo(1000 + gap, within(1e-9));
    }

    @Test
    void oneBaselineIdentifiesEveryModelThatBothWonAndLost() {
        // Given: x, y, z judged only against base, and a model that won all 12 of its battles
        List<Battle> battles = battles(fixture("one-baseline-sweep"));

        // When: without an anchor
        Map<String, BradleyTerry.Rating> r = BradleyTerry.ratings(battles, null, RESAMPLES, SEED);

        // Then: the star around base is the reference, every resample keeps it; the sweeper has no
        // interval and a placeholder above all (a N(1000, 400²) prior: 1000 + 400·r with 12 wins)
        for (String m : List.of("base", "x", "y", "z")) {
            assertThat(r.get(m).identified()).isTrue();
            assertThat(r.get(m).resamplesIdentified()).isEqualTo(RESAMPLES);
            assertThat(r.get(m).upper() - r.get(m).lower()).as(m).isBetween(1.0, 400.0);
        }
        BradleyTerry.Rating sweep = r.get("sweep");
        assertThat(sweep.identified()).isFalse();
        assertThat(sweep.lower()).isNull();
        assertThat(sweep.upper()).isNull();
        assertThat(sweep.resamplesIdentified()).isZero();
        assertThat(sweep.rating()).isGreaterThan(r.get("x").rating());
    }

    @Test
    void sparseIntervalsAreFiniteAndBuiltFromTheResamplesThatIdentifyTheModel() {
        // Given: the issue's case, a and b meet 200 times, d has 5 battles (2 won)
        List<Battle> battles = battles(fixture("sparse"));

        // When: anchored at a, and centred on the mean
        Map<String, BradleyTerry.Rating> anchored = BradleyTerry.ratings(battles, "a", RESAMPLES, SEED);
        Map<String, BradleyTerry.Rating> centred = BradleyTerry.ratings(battles, null, RESAMPLES, SEED);

        // Then: anchored, a is 1000 in every resample, b's interval is narrow, d's wide but finite and
        // made only of the resamples where d both won and lost (some lose or win all 5)
        assertThat(anchored.get("a").lower()).isEqualTo(1000.0);
        assertThat(anchored.get("a").upper()).isEqualTo(1000.0);
        BradleyTerry.Rating b = anchored.get("b");
        assertThat(b.resamplesIdentified()).isEqualTo(RESAMPLES);
        assertThat(b.lower()).isLessThan(b.rating());
        assertThat(b.upper()).isGreaterThan(b.rating());
        assertThat(b.upper() - b.lower()).isBetween(30.0, 150.0);
        BradleyTerry.Rating d = anchored.get("d");
        assertThat(d.resamplesIdentified()).isBetween(50, RESAMPLES - 1);
        assertThat(d.lower()).isLessThan(d.rating()).isGreaterThan(d.rating() - 1500);
        assertThat(d.upper()).isGreaterThan(d.rating()).isLessThan(d.rating() + 1500);

        // and centred, a resample where d is not identified has no mean: dropped for all three
        int kept = centred.get("d").resamplesIdentified();
        assertThat(kept).isBetween(50, RESAMPLES - 1);
        assertThat(centred.get("a").resamplesIdentified()).isEqualTo(kept);
        assertThat(centred.get("b").resamplesIdentified()).isEqualTo(kept);
        assertThat(centred.get("a").upper() - centred.get("a").lower()).isLessThan(400.0);
    }

    @Test
    void aResampleWithoutTheAnchorIsDroppedForEveryModel() {
        // Given: a rare anchor with one win and one loss among 200 battles of a and b
        List<Battle> battles = new ArrayList<>();
        add(battles, "a", "b", 100, 0, 98);
        add(battles, "rare", "a", 1, 0, 1);

        // When: anchored at the rare model
        Map<String, BradleyTerry.Rating> r = BradleyTerry.ratings(battles, "rare", RESAMPLES, SEED);

        // Then: everyone is identified on the full data, but only resamples that keep rare's win and
        // its loss place a and b; the others give them nothing
        assertThat(r.values()).allMatch(BradleyTerry.Rating::identified);
        assertThat(r.get("a").resamplesIdentified()).isBetween(1, RESAMPLES - 1);
        assertThat(r.get("b").resamplesIdentified()).isEqualTo(r.get("a").resamplesIdentified());
        assertThat(r.get("rare").resamplesIdentified())
                .isGreaterThanOrEqualTo(r.get("a").resamplesIdentified());
    }

    @Test
    void theBootstrapIsSeeded() {
        List<Battle> battles = battles(fixture("dense"));
        assertThat(BradleyTerry.ratings(battles, null, 50, 11)).isEqualTo(BradleyTerry.ratings(battles, null, 50, 11));
        assertThat(BradleyTerry.ratings(battles, null, 50, 11))
                .isNotEqualTo(BradleyTerry.ratings(battles, null, 50, 12));
    }

    @Test
    void multinomialDrawsSumToTheBattlesAndBinomialsHaveTheirMoments() {
        SplittableRandom random = new SplittableRandom(3);
        long[] counts = Multinomial.sample(random, new long[] {5, 0, 1_000, 3, 999_992}, 1_000_000);
        assertThat(counts[1]).isZero();
        assertThat(counts[0] + counts[2] + counts[3] + counts[4]).isEqualTo(1_000_000);

        // Binomial(n, p): mean n·p, variance n·p·(1 − p), both the inversion and the split paths
        for (double[] np : new double[][] {{50, 0.2}, {1_000_000, 0.3}, {1_000_000, 0.9}, {200, 0.5}}) {
            int draws = 20_000;
            double sum = 0;
            double squares = 0;
            for (int t = 0; t < draws; t++) {
                double x = Multinomial.binomial(random, (long) np[0], np[1]);
                sum += x;
                squares += x * x;
            }
            double mean = sum / draws;
            double variance = squares / draws - mean * mean;
            double trueVariance = np[0] * np[1] * (1 - np[1]);
            assertThat(mean).as("mean %s", np).isCloseTo(np[0] * np[1], within(5 * Math.sqrt(trueVariance / draws)));
            assertThat(variance / trueVariance).as("variance %s", np).isCloseTo(1.0, within(0.05));
        }
    }

    private static JsonNode fixture(String name) {
        try (InputStream in = BradleyTerryTest.class.getResourceAsStream("/bt/" + name + ".json")) {
            return Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Battle> battles(JsonNode fixture) {
        List<Battle> out = new ArrayList<>();
        for (JsonNode b : fixture.get("battles")) {
            add(
                    out,
                    b.get("a").asText(),
                    b.get("b").asText(),
                    b.get("wins").asInt(),
                    b.get("ties").asInt(),
                    b.get("losses").asInt());
        }
        return out;
    }

    private static void add(List<Battle> out, String a, String b, int wins, int ties, int losses) {
        for (int i = 0; i < wins; i++) {
            out.add(new Battle(a, b, 1));
        }
        for (int i = 0; i < ties; i++) {
            out.add(new Battle(a, b, 0.5));
        }
        for (int i = 0; i < losses; i++) {
            out.add(new Battle(b, a, 1));
        }
    }

    @Test
    void battlesOfOneItemAreResampledTogether() {
        // Given: 40 items, each with the same three battles against one baseline (a won, b lost, c tied)
        List<Battle> battles = new java.util.ArrayList<>();
        for (int item = 0; item < 40; item++) {
            battles.add(new Battle("a", "base", 1.0, "i" + item));
            battles.add(new Battle("b", "base", 0.0, "i" + item));
            battles.add(new Battle("c", "base", 0.5, "i" + item));
        }
        BattleCells cells = BattleCells.of(battles);

        // Then: one profile of 40 units; every resample draws whole items: 40 of each battle
        assertThat(cells.units().multiplicity()).containsExactly(40L);
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int r = 0; r < 20; r++) {
            assertThat(cells.resample(random)).containsOnly(40L);
        }
        // And: unclustered, the same battles are 120 units, and a resample's cells vary independently
        BattleCells loose = BattleCells.of(
                battles.stream().map(b -> new Battle(b.a(), b.b(), b.scoreA())).toList());
        assertThat(loose.units().n()).isEqualTo(120);
        long[] w = loose.resample(new java.util.SplittableRandom(7));
        assertThat(java.util.Arrays.stream(w).sum()).isEqualTo(120);
        assertThat(w).isNotEqualTo(new long[] {40, 40, 40});
    }
}
